module eseal

go 1.19
