# Recipe for make 1.0, written by Toaster from its sources for wrynose.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

# No licence file was found in the sources: find the licence, add it to
# LIC_FILES_CHKSUM, set LICENSE to its SPDX id, then remove the function below.
# Until then BitBake skips this recipe (SkipRecipe): the layer still parses, but
# building the recipe is refused with the reason below instead of guessing a licence.
LICENSE = "TODO-SPDX-ID"
python () {
    if d.getVar("LICENSE") == "TODO-SPDX-ID":
        raise bb.parse.SkipRecipe("LICENSE is not filled in: read the licence files of the sources and set LICENSE to their SPDX ids")
}

# The sources are used where they are, not fetched: edit them there.
inherit externalsrc
EXTERNALSRC = "/src/hello"
# A plain Makefile builds inside the source tree.
EXTERNALSRC_BUILD = "${EXTERNALSRC}"

do_compile() {
    oe_runmake
}

do_install() {
    # Fill in: copy what the build made into ${D}, for example
    #   install -Dm 0755 ${B}/program ${D}${bindir}/program
    # or, if the Makefile has an install target that honours DESTDIR:
    #   oe_runmake install DESTDIR=${D}
    # then delete the next line.
    bbfatal "do_install of this recipe is not written yet: edit the recipe"
}
