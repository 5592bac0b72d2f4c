// Keeps this directory out of the binding module: run.sh builds main.go as its own module.
module example.com/eseal-consumer

go 1.19
