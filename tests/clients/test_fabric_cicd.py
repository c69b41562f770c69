"""fabric-cicd (Microsoft's deployment library, pinned in requirements.txt) against the emulator.

Each test starts a real `copyjob-emulator` process (the binary named by $COPYJOB_EMULATOR) in one
mode, points fabric-cicd at it with its documented in-code override
(`fabric_cicd.constants.DEFAULT_API_ROOT_URL`) and a static-token `TokenCredential`, publishes a
repository folder of Copy job items, changes it, publishes again and unpublishes the orphans, and
after each step asserts that what the emulator holds equals the repository folder: folders,
items (name, description, folder), each item's `copyjob-content.json` byte for byte and its
`.platform` metadata and logical id.

Run by tests/clients/run.sh (which creates the venv and builds the emulator).
"""

import json
import shutil
import tempfile
import time
import unittest
import uuid
from pathlib import Path

from azure.core.credentials import AccessToken

from emulator import EXAMPLES, WORKSPACE_ID, Emulator
from fabric_cicd import FabricWorkspace, constants, publish_all_items, unpublish_all_orphan_items

TOKEN = "fabric-cicd-test-token"


class StaticToken:
    """A `azure.core.credentials.TokenCredential`: the emulator accepts any configured token."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken(TOKEN, int(time.time()) + 3600)


def repository(root):
    """A repository folder as fabric-cicd deploys it: item folders (holding `.platform`) and the
    folders above them."""
    items, folders = {}, set()
    for platform_path in sorted(root.rglob(".platform")):
        item_dir = platform_path.parent
        platform = json.loads(platform_path.read_text(encoding="utf-8"))
        folder = item_dir.parent.relative_to(root).as_posix()
        folder = "" if folder == "." else folder
        parts = folder.split("/") if folder else []
        folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        description = platform["metadata"].get("description", "")
        items[platform["metadata"]["displayName"]] = {
            "description": description,
            "folder": folder,
            "content": (item_dir / "copyjob-content.json").read_bytes(),
            "platform": {"description": description, "logicalId": platform["config"]["logicalId"]},
        }
    return {"folders": sorted(folders), "items": items}


def write_item(root, relative, name, description, content):
    item_dir = root / relative
    item_dir.mkdir(parents=True, exist_ok=True)
    platform = {
        "$schema": "https://developer.microsoft.com/json-schemas/fabric/gitIntegration/platformProperties/2.0.0/schema.json",
        "metadata": {"type": "CopyJob", "displayName": name, "description": description},
        "config": {"version": "2.0", "logicalId": str(uuid.uuid4())},
    }
    (item_dir / ".platform").write_text(json.dumps(platform, indent=2), encoding="utf-8")
    (item_dir / "copyjob-content.json").write_bytes(content)


def set_description(item_dir, description):
    path = item_dir / ".platform"
    platform = json.loads(path.read_text(encoding="utf-8"))
    platform["metadata"]["description"] = description
    path.write_text(json.dumps(platform, indent=2), encoding="utf-8")


class PublishWithFabricCicd(unittest.TestCase):
    def scenario(self, *emulator_args):
        emulator = Emulator(TOKEN, "--retry-after", "1", "--throttle-retry-after", "1",
                            "--lro-queued-ms", "100", "--lro-running-ms", "300", *emulator_args)
        self.addCleanup(emulator.close)
        repo = Path(tempfile.mkdtemp(prefix="fabric-cicd-repo-"))
        self.addCleanup(shutil.rmtree, repo)
        constants.DEFAULT_API_ROOT_URL = emulator.url

        def deploy(unpublish):
            workspace = FabricWorkspace(
                workspace_id=WORKSPACE_ID,
                repository_directory=str(repo),
                item_type_in_scope=["CopyJob"],
                token_credential=StaticToken(),
            )
            publish_all_items(workspace)
            if unpublish:
                unpublish_all_orphan_items(workspace)

        # 1. Create: two items at the root, one two folders down, one in a folder of its own.
        shutil.copytree(EXAMPLES / "Customers CDC.CopyJob", repo / "Customers CDC.CopyJob")
        shutil.copytree(EXAMPLES / "Sales.CopyJob", repo / "Sales.CopyJob")
        sales_content = (EXAMPLES / "Sales.CopyJob" / "copyjob-content.json").read_bytes()
        write_item(repo, "Finance/Monthly/Orders.CopyJob", "Orders", "Monthly orders", sales_content)
        write_item(repo, "Archive/Old.CopyJob", "Old", "", b'{\n  "properties": {\n    "jobMode": "Batch"\n  },\n  "activities": []\n}')
        deploy(unpublish=False)
        first = emulator.holds()
        self.assertEqual(first, repository(repo))
        self.assertEqual(first["folders"], ["Archive", "Finance", "Finance/Monthly"])
        self.assertEqual(sorted(first["items"]), ["Customers CDC", "Old", "Orders", "Sales copy"])

        # 2. Update: a new description and content, an item moved into a folder, an orphan item
        # (and its folder, left empty) to unpublish.
        set_description(repo / "Customers CDC.CopyJob", "Customers, every hour")
        content = repo / "Customers CDC.CopyJob" / "copyjob-content.json"
        content.write_bytes(content.read_bytes().replace(b'"database": "crm"', b'"database": "crm2"'))
        shutil.move(repo / "Sales.CopyJob", repo / "Finance" / "Sales.CopyJob")
        shutil.rmtree(repo / "Archive")
        deploy(unpublish=True)
        second = emulator.holds()
        self.assertEqual(second, repository(repo))
        self.assertEqual(second["folders"], ["Finance", "Finance/Monthly"])
        self.assertEqual(second["items"]["Customers CDC"]["description"], "Customers, every hour")
        self.assertIn(b'"crm2"', second["items"]["Customers CDC"]["content"])
        self.assertEqual(second["items"]["Sales copy"]["folder"], "Finance")
        self.assertNotIn("Old", second["items"])

    def test_sync_operations(self):
        self.scenario("--lro", "sync")

    def test_async_operations(self):
        self.scenario("--lro", "async")

    def test_throttled_every_third_request(self):
        self.scenario("--throttle-every", "3")


if __name__ == "__main__":
    unittest.main()
