module example.com/acme/api

go 1.22
