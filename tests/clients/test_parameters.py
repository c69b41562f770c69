"""`copyjob push --environment ENV` applies fabric-cicd's `parameter.yml` as fabric-cicd (pinned in
requirements.txt) does.

For each environment that tests/deploy/params/parameter.yml gives a value everywhere (TEST, PROD),
one `copyjob-emulator` process holds two workspaces: fabric-cicd publishes into one, the built
`copyjob` CLI (the binary named by $COPYJOB_CLI) pushes into the other. Both first deploy
examples/workspace (the parameters name its copy job "Sales copy" with `$items`), then
tests/deploy/params for the environment. Each item's `copyjob-content.json`, read back with
getDefinition, must then be the same JSON in both workspaces once each workspace's own id and its
items' ids (which legitimately differ) are replaced by placeholders (`$workspace.id`,
`$items.<type>.<name>.id`). JSON values are compared, not bytes: fabric-cicd writes a file that
`key_value_replace` changed back as compact JSON (`json.dumps`), copyjob keeps it indented, and
both compare definitions as JSON.

Run by tests/clients/run.sh (which creates the venv and builds the emulator and the CLI).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import yaml
from azure.core.credentials import AccessToken

from emulator import EXAMPLES, ROOT, Emulator
from fabric_cicd import FabricWorkspace, constants, publish_all_items

TOKEN = "parameters-test-token"
PARAMS = ROOT / "tests" / "deploy" / "params"
FABRIC_CICD_WS = "5a1c0de0-0000-4000-8000-0000000000f1"
COPYJOB_WS = "5a1c0de0-0000-4000-8000-0000000000c1"


class StaticToken:
    """A `azure.core.credentials.TokenCredential`: the emulator accepts any configured token."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken(TOKEN, int(time.time()) + 3600)


def environments(parameter_file):
    """The environments every non-`_ALL_` `replace_value` of the file has a value for."""
    document = yaml.safe_load(parameter_file.read_text(encoding="utf-8"))
    sets = [set(entry["replace_value"]) - {"_ALL_"}
            for section in ("find_replace", "key_value_replace")
            for entry in document.get(section) or []
            if set(entry["replace_value"]) - {"_ALL_"}]
    return sorted(set.intersection(*sets)) if sets else []


def copyjob(*args):
    """`copyjob ARGS` (the binary in $COPYJOB_CLI, else target/debug), as a pipeline runs it."""
    binary = os.environ.get("COPYJOB_CLI") or str(ROOT / "target" / "debug" / "copyjob")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "FABRIC_"))}
    env.update({"CI": "true", "NO_COLOR": "1", "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
                "FABRIC_TOKEN": TOKEN})
    result = subprocess.run([binary, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"copyjob {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")


def normalised(definitions, workspace_id):
    """Each item's `copyjob-content.json` as JSON, with the workspace's id and its items' ids
    replaced by placeholders."""
    contents = {}
    for name, item in definitions.items():
        text = item["parts"]["copyjob-content.json"].decode("utf-8").replace(workspace_id, "$workspace.id")
        for other, other_item in definitions.items():
            text = text.replace(other_item["id"], f"$items.CopyJob.{other}.id")
        contents[name] = json.loads(text)
    return contents


class ParametersAsFabricCicd(unittest.TestCase):
    maxDiff = None

    def test_each_environment_deploys_the_same_definitions(self):
        envs = environments(PARAMS / "parameter.yml")
        self.assertGreaterEqual(len(envs), 2, envs)
        seen = {}
        for env in envs:
            with self.subTest(environment=env):
                seen[env] = self.deploy_both(env)
        # The environments' values differ, so each was applied.
        if len(seen) == len(envs):
            self.assertEqual(len({json.dumps(c, sort_keys=True) for c in seen.values()}), len(envs))

    def deploy_both(self, env):
        emulator = Emulator(TOKEN, "--retry-after", "0", "--lro", "sync",
                            "--workspace", f"{FABRIC_CICD_WS}=fabric-cicd {env}",
                            "--workspace", f"{COPYJOB_WS}=copyjob {env}")
        self.addCleanup(emulator.close)
        constants.DEFAULT_API_ROOT_URL = emulator.url
        # Both tools read copies, so that no tool's writes can reach the other's input.
        scratch = Path(tempfile.mkdtemp(prefix="parameters-"))
        self.addCleanup(shutil.rmtree, scratch)
        sources = {}
        for tool in ("fabric-cicd", "copyjob"):
            shutil.copytree(EXAMPLES, scratch / tool / "workspace")
            shutil.copytree(PARAMS, scratch / tool / "params")
            sources[tool] = scratch / tool

        for folder, environment in (("workspace", "N/A"), ("params", env)):
            publish_all_items(FabricWorkspace(
                workspace_id=FABRIC_CICD_WS,
                repository_directory=str(sources["fabric-cicd"] / folder),
                item_type_in_scope=["CopyJob"],
                environment=environment,
                token_credential=StaticToken(),
            ))
        copyjob("push", str(sources["copyjob"] / "workspace"), "-w", COPYJOB_WS, "--api", emulator.url)
        copyjob("push", str(sources["copyjob"] / "params"), "-w", COPYJOB_WS, "-e", env, "--api", emulator.url)

        expected = normalised(emulator.definitions(FABRIC_CICD_WS), FABRIC_CICD_WS)
        actual = normalised(emulator.definitions(COPYJOB_WS), COPYJOB_WS)
        self.assertEqual(sorted(expected), ["Customers CDC", "Orders", "Sales copy"])
        self.assertEqual(sorted(actual), sorted(expected))
        for name in expected:
            self.assertEqual(actual[name], expected[name], f"{name} ({env})")
        # The parameters reached the item: no development value is left.
        orders = json.dumps(expected["Orders"])
        for development in ("11111111-1111-4111-8111-111111111111", "d0e31750-29de-4992-b01d-ed022494141f",
                            "orders_dev", "00000000-0000-0000-0000-000000000000"):
            self.assertNotIn(development, orders)
        self.assertIn("$items.CopyJob.Sales copy.id", orders)
        return expected


if __name__ == "__main__":
    unittest.main()
