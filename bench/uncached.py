"""gunicorn settings for the comparison run (`gunicorn -c bench/uncached.py`):
every worker renders every page, as before the page cache existed."""


def post_worker_init(worker):
    worker.wsgi.extensions["page_cache"].seconds = 0
