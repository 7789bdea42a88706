"""The application as gunicorn serves it (README, "Deploying"): ``gunicorn -w 2 'eventapp.wsgi:app'``.

One app per worker. Once it is built, its long-lived objects (routes, mappers, templates) are moved out of the
garbage collector's generations (``gc.freeze``), so that a full collection walks what requests allocate, not the
whole application. Tests and ``flask`` commands build their apps with :func:`eventapp.create_app`.
"""

import gc

from . import create_app

app = create_app()
gc.collect()
gc.freeze()
