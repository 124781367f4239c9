"""The class hub's spawner: each user's Jupyter server as their own system user, in a sandbox of its own.

JupyterHub's LocalProcessSpawner starts a server as the user (it switches user before running the command).
ClassSpawner keeps everything else of it (ports, environment, stopping, polling) but starts the server
through hub_sandbox: bubblewrap (as root, to build the view) drops to the user inside. Students get the
learner configuration and the course's student edition; the instructor gets formgrader, the course list and
their copy of the course. The settings come from the class's settings.json (class_hub.write_settings), which
grading/hub/jupyterhub_config.py passes in as `ClassSpawner.class_settings`.
"""

import pwd
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Dict

from mlai_course.grading.hub_sandbox import ServerView, server_command, singleuser_program


class ClassSpawner(LocalProcessSpawner):
    """LocalProcessSpawner, with every server in hub_sandbox's sandbox and the class's view per role."""

    class_settings = Dict(
        help="The class hub's settings (settings.json, written by `mlai-course class-hub`)"
    ).tag(config=True)

    def make_preexec_fn(self, name):
        """Stay root until bubblewrap has built the sandbox: setpriv switches to the user inside it."""
        return None

    @property
    def role(self) -> str:
        settings = self.class_settings
        if self.user.name == settings["instructor"]:
            return "instructor"
        if self.user.name in settings["students"]:
            return "student"
        raise ValueError(f"{self.user.name} is not on the class roster; no server is started")

    def user_env(self, env):
        env = super().user_env(env)
        settings = self.class_settings
        env["PATH"] = f"{settings['python_bin']}:/usr/local/bin:/usr/bin:/bin"
        env["LANG"] = env["LC_ALL"] = "C.UTF-8"
        env.pop("PYTHONPATH", None)
        env.pop("LD_LIBRARY_PATH", None)
        if self.role == "instructor":
            env["JUPYTER_CONFIG_PATH"] = settings["instructor_config"]
            env["MLAI_COURSE_DATA"] = str(Path(settings["instructor_course"]) / "data")
        else:
            edition = Path(settings["edition"])
            env["JUPYTER_CONFIG_PATH"] = (
                f"{settings['student_config']}:{edition / 'jupyter-config' / 'learner'}"
            )
            env["PYTHONPATH"] = str(edition / "src")
            env["MLAI_COURSE_DATA"] = str(edition / "data")
        return env

    def server_view(self) -> ServerView:
        settings = self.class_settings
        account = pwd.getpwnam(self.user.name)
        home = Path(account.pw_dir)
        exchange = Path(settings["exchange"])
        if self.role == "instructor":
            course = Path(settings["instructor_course"])
            return ServerView(
                account.pw_uid,
                account.pw_gid,
                home,
                cwd=course / "grading",  # formgrader reads the course's nbgrader_config.py from here
                writable=[exchange],
                read_only=[Path(settings["instructor_config"])],
                course_source=True,
            )
        return ServerView(
            account.pw_uid,
            account.pw_gid,
            home,
            cwd=home,
            writable=[exchange],
            read_only=[Path(settings["edition"]), Path(settings["student_config"])],
        )

    async def start(self):
        view = self.server_view()
        if self.role == "instructor":
            self.notebook_dir = self.class_settings["instructor_course"]
        else:
            self.notebook_dir = str(view.home)
        self.cmd = server_command(view, singleuser_program())
        return await super().start()
