from bench.harness import Context, HttpCase


def http_cases(context: Context) -> list[HttpCase]:
    return [HttpCase("healthz", "/healthz")]
