"""For the class hub test: start and stop `mlai-course class-hub`, talk to the hub's REST API and to each
user's Jupyter server (the endpoints JupyterLab and its Assignments tab use), run code in a user's kernel."""

import asyncio
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from conftest import REPO_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    text: str

    def json(self):
        return json.loads(self.text)


@dataclass
class ClassHubProcess:
    """`mlai-course class-hub`, started by the test, with what it wrote and how to reach it."""

    root: Path
    members: dict[str, str]  # id -> role
    url: str = ""
    process: subprocess.Popen | None = None
    passwords: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    started: list[int] = field(default_factory=list)  # every process id seen under the hub

    @property
    def class_root(self) -> Path:
        return self.root / "class"

    @property
    def home_root(self) -> Path:
        return self.root / "home"

    @property
    def log(self) -> Path:
        return self.root / "hub.log"

    def log_tail(self, characters: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""

    # ------------------------------------------------------------ HTTP

    def call(self, method: str, path: str, token: str | None = None, body=None, **params) -> Reply:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        url = self.url + urllib.parse.quote(path, safe="/:@") + query
        data = json.dumps(body).encode() if body is not None else (b"" if method in ("POST", "PUT") else None)
        request = urllib.request.Request(url, data=data, method=method)
        if token:
            request.add_header("Authorization", f"token {token}")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return Reply(response.status, response.read().decode("utf-8", errors="replace"))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode("utf-8", errors="replace"))

    def log_in(self, user: str) -> str:
        """A token for `user`, from their own password (PAM), as a script would ask the hub for one."""
        auth = {"username": user, "password": self.passwords[user]}
        reply = self.call(
            "POST", f"/hub/api/users/{user}/tokens", body={"auth": auth, "note": "class hub test"}
        )
        assert reply.status == 201, f"{user} cannot log in: {reply.status} {reply.text}"
        self.tokens[user] = reply.json()["token"]
        return self.tokens[user]

    def start_servers(self, users: list[str], seconds: float = 240) -> None:
        for user in users:
            reply = self.call("POST", f"/hub/api/users/{user}/server", self.tokens[user])
            assert reply.status in (201, 202), f"{user}'s server: {reply.status} {reply.text}"
        deadline = time.monotonic() + seconds
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in sorted(waiting):
                model = self.call("GET", f"/hub/api/users/{user}", self.tokens[user]).json()
                if model["servers"].get("", {}).get("ready"):
                    waiting.discard(user)
            time.sleep(1)
        assert not waiting, f"servers not ready after {seconds} s: {waiting}\n{self.log_tail()}"

    # ------------------------------------------------------------ starting and stopping

    def start(self, seconds: float = 180) -> None:
        roster = self.root / "roster.csv"
        roster.write_text(
            "id,role\n" + "".join(f"{member},{role}\n" for member, role in self.members.items()),
            encoding="utf-8",
        )
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [
            sys.executable,
            "-m",
            "mlai_course.cli",
            "class-hub",
            str(roster),
            "--course-root",
            str(REPO_ROOT),
        ]
        command += [
            "--class-root",
            str(self.class_root),
            "--home-root",
            str(self.home_root),
            "--port",
            str(port),
        ]
        command += ["--hub-port", str(free_port()), "--proxy-api-port", str(free_port())]
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"class-hub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.call("GET", "/hub/api/").status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            raise AssertionError(f"the hub did not answer within {seconds} s:\n{self.log_tail()}")
        with (self.class_root / "hub" / "new-passwords.csv").open(encoding="utf-8") as handle:
            self.passwords = {row["id"]: row["password"] for row in csv.DictReader(handle)}

    def descendants(self) -> list[int]:
        """The hub and every process under it (the proxy, the servers' sandboxes, their kernels)."""
        if self.process is None:
            return []
        found, waiting = [], [self.process.pid]
        while waiting:
            pid = waiting.pop()
            found.append(pid)
            try:
                waiting += [
                    int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                ]
            except OSError:
                continue
        return found

    def stop(self) -> list[int]:
        """SIGTERM the hub (it stops the servers and the proxy), then SIGKILL what is left of what it started;
        return the processes that were still alive after the hub's own shutdown."""
        if self.process is None:
            return []
        self.started = sorted(set(self.started) | set(self.descendants()))
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        time.sleep(0.5)
        survivors = [pid for pid in self.started if alive(pid)]
        for pid in survivors:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process = None
        return survivors

    def remove_users(self) -> list[str]:
        """userdel every roster member (their home and group too); return who is still there."""
        import pwd

        for member in self.members:
            subprocess.run(["userdel", "--remove", member], capture_output=True)
        left = []
        for member in self.members:
            try:
                pwd.getpwnam(member)
                left.append(member)
            except KeyError:
                pass
        return left


def alive(pid: int) -> bool:
    """Running (a zombie is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def user_processes(uids: set[int]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids and alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# ---------------------------------------------------------------- code in a user's kernel


async def _execute(ws_url: str, token: str, code: str, seconds: float) -> tuple[str, str]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    request = HTTPRequest(ws_url, headers={"Authorization": f"token {token}"})
    connection = await websocket_connect(request)
    msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
    header = {"msg_id": msg_id, "username": "test", "session": session, "msg_type": "execute_request"}
    header["version"] = "5.3"
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}}
    content |= {"allow_stdin": False, "stop_on_error": True}
    message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
    connection.write_message(json.dumps(message))
    output, error = [], ""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        raw = await asyncio.wait_for(connection.read_message(), timeout=max(1, deadline - time.monotonic()))
        if raw is None:
            break
        reply = json.loads(raw)
        if reply.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = reply["header"]["msg_type"]
        if kind == "stream":
            output.append(reply["content"]["text"])
        elif kind == "error":
            error = "\n".join(reply["content"]["traceback"])
        elif kind == "status" and reply["content"]["execution_state"] == "idle":
            break
    connection.close()
    return "".join(output), error


def run_in_kernel(hub: ClassHubProcess, user: str, code: str, kernel_id: str, seconds: float = 180) -> str:
    """Run `code` in the user's kernel (started through their server's API); return what it printed."""
    ws_url = hub.url.replace("http://", "ws://") + f"/user/{user}/api/kernels/{kernel_id}/channels"
    output, error = asyncio.run(_execute(ws_url, hub.tokens[user], code, seconds))
    assert not error, f"the code failed in {user}'s kernel:\n{error}"
    return output


def start_kernel(hub: ClassHubProcess, user: str) -> str:
    reply = hub.call("POST", f"/user/{user}/api/kernels", hub.tokens[user], body={"name": "python3"})
    assert reply.status == 201, f"{user}'s kernel: {reply.status} {reply.text}"
    return reply.json()["id"]


def unique_prefix() -> str:
    """A prefix for this run's user names: never a real user's, never another run's."""
    return f"mlai-hub-{secrets.token_hex(3)}"
