module github.com/eseal/eseal/ffi/go

go 1.19
