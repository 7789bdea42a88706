"""The application as gunicorn serves it (README, "Deploying"): ``gunicorn -w 2 'eventapp.wsgi:app'``.

One app per worker. Once it is built, its long-lived objects (routes, mappers, cached statements, templates)
are moved out of the garbage collector's generations (``gc.freeze``): a full collection then walks what
requests allocate, not the whole application. Under load that is about a tenth more check-ins per second
(bench/NOTES.md). Tests and ``flask`` commands build their apps with :func:`eventapp.create_app` and keep the
collector as it is.
"""

import gc

from . import create_app

app = create_app()
gc.collect()
gc.freeze()
