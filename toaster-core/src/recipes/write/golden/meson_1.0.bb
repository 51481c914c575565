# Recipe for meson 1.0, written by Toaster from its sources for wrynose.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

# Not every licence file was recognised: read the files in LIC_FILES_CHKSUM,
# set LICENSE to their SPDX ids joined with " & ", then remove the function below.
# COPYING: not recognised
# Until then BitBake skips this recipe (SkipRecipe): the layer still parses, but
# building the recipe is refused with the reason below instead of guessing a licence.
LICENSE = "TODO-SPDX-ID"
python () {
    if d.getVar("LICENSE") == "TODO-SPDX-ID":
        raise bb.parse.SkipRecipe("LICENSE is not filled in: read the licence files of the sources and set LICENSE to their SPDX ids")
}
LIC_FILES_CHKSUM = "file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

# The sources are used where they are, not fetched: edit them there.
inherit externalsrc
EXTERNALSRC = "/src/hello"

# These are pkg-config module names found in the build files, not recipe names:
# check each against the recipe that provides it (`bitbake-layers show-recipes`,
# or the recipe whose package ships the .pc file) and correct them.
DEPENDS = " \
    gtk4 \
    libxml-2.0 \
"

# Options for meson go in EXTRA_OEMESON.
inherit meson pkgconfig
