# Recipe for go 1.0, written by Toaster from its sources for wrynose.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

LICENSE = "BSD-3-Clause"
LIC_FILES_CHKSUM = "file://src/${GO_IMPORT}/COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

SRC_URI = "git://go.example.org/hello;protocol=https;branch=main;destsuffix=${GO_SRCURI_DESTSUFFIX}"
SRCREV = "0123456789abcdef0123456789abcdef01234567"

# S is the go class's default; the sources unpack to ${S}/src/${GO_IMPORT}.

GO_IMPORT = "example.org/hello"
# go-mod fetches the module's dependencies while compiling (network access).
inherit go-mod
