"""Registers the back office's review app with Airflow: nothing else lives here.

The app itself (routes, queries, templates) is built by `backoffice.review.app.create_app`;
this module mounts it under `/backoffice` on Airflow's own API server and adds a menu entry,
so the queue is one click from the DAGs and behind the same login.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from backoffice.review.app import URL_PREFIX, create_app


class BackofficeReviewPlugin(AirflowPlugin):
    name = "backoffice_review"
    fastapi_apps = [  # noqa: RUF012 (Airflow reads these class attributes)
        {"app": create_app(), "url_prefix": URL_PREFIX, "name": "Back-office review"}
    ]
    external_views = [  # noqa: RUF012
        {
            "name": "Back-office queue",
            "href": f"{URL_PREFIX}/",
            "destination": "nav",
            "category": "browse",
            "url_route": "backoffice",
        }
    ]
