"""JupyterHub configuration of the class hub. `make class-hub` (mlai-course class-hub) sets the class up, then
starts JupyterHub with this file; the class's settings come from CLASS_ROOT/hub/settings.json, named by
MLAI_CLASS_HUB_SETTINGS.

- login: PAM, with the system users' own passwords; only the roster's users may log in; no hub admins;
- servers: ClassSpawner (src/mlai_course/grading/hub_spawner.py): each user's server as their own system user,
  in a sandbox that shows them only their home, the exchange and the course's student edition (students) or
  the instructor's course (the instructor); JupyterLab opens;
- proxy: configurable-http-proxy from grading/hub/node_modules (npm ci), its API on the loopback only.
"""

import json
import os
from pathlib import Path

settings = json.loads(Path(os.environ["MLAI_CLASS_HUB_SETTINGS"]).read_text(encoding="utf-8"))
state = Path(settings["state_dir"])
c = get_config()  # noqa: F821 - provided by JupyterHub

scheme = "https" if settings["ssl_cert"] else "http"
c.JupyterHub.bind_url = f"{scheme}://{settings['ip']}:{settings['port']}/"
if settings["ssl_cert"]:
    c.JupyterHub.ssl_cert = settings["ssl_cert"]
    c.JupyterHub.ssl_key = settings["ssl_key"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy_command"]]
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = {settings["instructor"], *settings["students"]}
c.Authenticator.admin_users = set()

c.JupyterHub.spawner_class = "mlai_course.grading.hub_spawner.ClassSpawner"
c.ClassSpawner.class_settings = settings
c.Spawner.default_url = "/lab"
# A busy 2-core machine starts JupyterLab slowly.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
