from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "leasing/product_list.html")
