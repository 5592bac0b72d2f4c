// These tests run in GOPATH mode against Debian's Go library packages (offline), the way Debian
// builds Go code: GO111MODULE=off GOPATH=<dir with src/github.com/eseal/eseal/ffi/go -> ffi/go>:/usr/share/gocode
// (see run.sh). This file only keeps the directory out of the eseal module.
module github.com/eseal/eseal/ffi/go/interop

go 1.19
