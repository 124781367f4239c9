"""The Zero to JupyterHub files (grading/hub/kubernetes/) are on paper: nothing here runs Kubernetes. What can
be checked without a cluster is checked: they parse, they name the course and the ngshare service the same
way, and the image installs the course's own pins (environment.yml) rather than a copy of them."""

import re

import yaml
from conftest import REPO_ROOT

from mlai_course.grading.gradebook import course_id

KUBERNETES = REPO_ROOT / "grading" / "hub" / "kubernetes"


def test_the_helm_values_parse_and_use_ngshare():
    values = yaml.safe_load((KUBERNETES / "values.yaml").read_text(encoding="utf-8"))
    ngshare = yaml.safe_load((KUBERNETES / "ngshare-values.yaml").read_text(encoding="utf-8"))
    service = values["hub"]["extraConfig"]["10-ngshare"]
    assert '"name": "ngshare"' in service and ngshare["ngshare"]["hub_api_token"] in service
    assert values["singleuser"]["storage"]["type"] == "dynamic", "one volume per user"
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == []


def test_the_image_configures_ngshare_for_the_course_and_the_roles():
    config = (KUBERNETES / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "configureExchange(c, " in config
    assert f'c.CourseDirectory.course_id = "{course_id(REPO_ROOT)}"' in config
    dockerfile = (KUBERNETES / "Dockerfile").read_text(encoding="utf-8")
    hook = yaml.safe_load((KUBERNETES / "values.yaml").read_text(encoding="utf-8"))["hub"]["extraConfig"]
    for folder in ("/etc/mlai-course/student", "/etc/mlai-course/instructor"):
        assert folder in dockerfile and folder in hook["20-roles"]
    assert '"@jupyter/nbgrader:menu": false' in dockerfile, "the students' Assignment List, as on one machine"


def test_the_image_installs_the_course_pins_from_environment_yml():
    dockerfile = (KUBERNETES / "Dockerfile").read_text(encoding="utf-8")
    assert "requirements_from_env.py /tmp/course/environment.yml" in dockerfile
    pinned_here = re.findall(r"([A-Za-z0-9_.-]+)==[0-9]", dockerfile)
    assert pinned_here == ["ngshare_exchange"], "every other pin comes from environment.yml"
