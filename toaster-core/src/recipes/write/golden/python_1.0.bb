# Recipe for python 1.0, written by Toaster from its sources for wrynose.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

LICENSE = "BSD-3-Clause"
LIC_FILES_CHKSUM = "file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

SRC_URI = "https://example.org/hello-1.0.tar.gz"
SRC_URI[sha256sum] = "4bc6ef0e2d7fa2d2d3ad4b4a5e6a0b1c9f03e1b3c3a1d0f9e8d7c6b5a4938271"

S = "${UNPACKDIR}/hello-1.0"

inherit python_hatchling
