from django.shortcuts import render


def district_list(request):
    request.access.require(request.access.manage)
    return render(request, "base.html")


def unit_list(request):
    return render(request, "base.html")


def user_list(request):
    request.access.require(request.access.manage)
    return render(request, "base.html")
