package main

import (
	"log"
	"net/http"

	"example.com/acme/api/internal/orders"
)

func main() {
	http.HandleFunc("/orders", orders.List)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
