from bench.harness import Context, HttpCase


def http_cases(context: Context) -> list[HttpCase]:
    # django-oscar 4.2 at 5,000 products on this kind of machine (issue 5): home 5, category 7,
    # search 10, product page 110 req/s; the goal is 3× that.
    return [
        HttpCase("home (th)", "/", goal="≥ 15 req/s"),
        HttpCase("home (en)", "/en/"),
        HttpCase("category listing", "/categories/textiles/", goal="≥ 21 req/s"),
        HttpCase("district listing", "/districts/4001/"),
        HttpCase(
            "search ผ้าไหม", "/search/?q=%E0%B8%9C%E0%B9%89%E0%B8%B2%E0%B9%84%E0%B8%AB%E0%B8%A1", goal="≥ 30 req/s"
        ),
        HttpCase("search sai krok", "/search/?q=sai+krok", goal="≥ 30 req/s"),
        HttpCase("suggest ไส้ก", "/search/suggest/?q=%E0%B9%84%E0%B8%AA%E0%B9%89%E0%B8%81"),
    ]
