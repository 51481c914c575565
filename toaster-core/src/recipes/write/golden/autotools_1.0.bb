# Recipe for autotools 1.0, written by Toaster from its sources for wrynose.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

SRC_URI = "https://example.org/hello-1.0.tar.gz"
SRC_URI[sha256sum] = "4bc6ef0e2d7fa2d2d3ad4b4a5e6a0b1c9f03e1b3c3a1d0f9e8d7c6b5a4938271"

S = "${UNPACKDIR}/hello-1.0"

# These are pkg-config module names found in the build files, not recipe names:
# check each against the recipe that provides it (`bitbake-layers show-recipes`,
# or the recipe whose package ships the .pc file) and correct them.
DEPENDS = "glib-2.0"

# Options for the configure script go in EXTRA_OECONF.
inherit autotools pkgconfig
