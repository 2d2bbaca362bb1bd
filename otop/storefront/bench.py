from bench.harness import Context, HttpCase


def http_cases(context: Context) -> list[HttpCase]:
    return [
        HttpCase("home (th)", "/"),
        HttpCase("home (en)", "/en/"),
    ]
