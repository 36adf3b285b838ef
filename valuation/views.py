from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def value_my_machine(request: HttpRequest) -> HttpResponse:
    return render(request, "valuation/value_my_machine.html")
