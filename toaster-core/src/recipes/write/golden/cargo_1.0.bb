# Recipe for cargo 1.0, written by Toaster from its sources for wrynose.
# Review it before building: the comments below say what could not be known.

SUMMARY = "A small library"
HOMEPAGE = "https://example.org/hello"

LICENSE = "MIT & Apache-2.0"
LIC_FILES_CHKSUM = " \
    file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263 \
    file://LICENSES/L1.txt;md5=b234ee4d69f5fce4486a80fdaf4a4263 \
"

SRC_URI = "git://github.com/example/hello;protocol=https;branch=main"
SRCREV = "0123456789abcdef0123456789abcdef01234567"

S = "${UNPACKDIR}/${BP}"

# The crates need checksums before a build: run `bitbake -c update_crates <recipe>`,
# which writes <recipe>-crates.inc with every crate and its sha256sum, then
# `require ${BPN}-crates.inc` here and drop the list below.
SRC_URI += " \
    crate://crates.io/libc/0.2.150 \
    crate://crates.io/log/0.4.20 \
"
inherit cargo cargo-update-recipe-crates
