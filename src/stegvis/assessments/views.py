from django.shortcuts import render


def round_list(request):
    return render(request, "base.html")
