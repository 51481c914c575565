# Recipe for cmake-styhead 1.0, written by Toaster from its sources for styhead.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

SRC_URI = "git://git@github.com/example/hello.git;protocol=ssh;branch=main"
SRCREV = "0123456789abcdef0123456789abcdef01234567"

S = "${UNPACKDIR}/git"

# Options for cmake go in EXTRA_OECMAKE.
inherit cmake
