"""What the e2e control plane is given: command lines, manifests, Nodes, keys.

The command lines, with the upstream sources read for them:

- controller-runtime ``pkg/internal/testing/controlplane/apiserver.go`` and
  ``etcd.go`` (envtest): the apiserver's and etcd's flags. ``k8s.io/apiserver``
  ``pkg/server/options/serving.go``: ``--secure-port=0`` serves no HTTPS, so
  the controller-manager and the scheduler listen on nothing.
- kwok ``pkg/kwok/cmd/root.go``: its flags; it serves nothing without
  ``--server-address`` or ``--node-port``. Its node lease is off unless
  ``--node-lease-duration-seconds`` is given (``pkg/apis/config/v1alpha1/
  zz_generated.defaults.go``), as kwokctl gives 40
  (``pkg/kwokctl/components/kwok_controller.go``); without it the lease Stage
  below lets Nodes go NotReady every 50 s.

The manifests come from pinned Go modules, read where ``go mod download
-json`` puts them (its ``Dir``):

- ``e2e/modules/crds`` pins ``istio.io/api`` and ``cert-manager``. Istio's CRDs
  are ``kubernetes/customresourcedefinitions.gen.yaml`` in ``istio.io/api``;
  cert-manager's are ``deploy/crds/*.yaml`` (plain controller-gen YAML since
  v1.19.0, no Helm templating). Both are created as they are.
- kwok's default Stages come from the module the kwok binary is built from
  (``e2e/modules/kwok``): the standalone ``kwok`` has none built in; kwokctl
  puts these together (``pkg/kwokctl/runtime/cluster.go``,
  ``getDefaultNodeStages`` with the lease, ``getDefaultPodStages``):
  node-initialize, node-heartbeat-with-lease, pod-ready, pod-complete and
  pod-delete.

The fake Nodes, one per zone with distinct hostnames, carry the annotation kwok
is told to manage and room for far more Pods than the program makes. The keys
are made with the ``openssl`` CLI: a CA, the apiserver's serving certificate
for 127.0.0.1, and the service account signing pair.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

# Each command line is str.format()ted, then split on whitespace.
COMMANDS = {
    "etcd": """--name=e2e --data-dir={work}/etcd --unsafe-no-fsync --log-level=warn
        --listen-client-urls={etcd} --advertise-client-urls={etcd}
        --listen-peer-urls={peer} --initial-advertise-peer-urls={peer}
        --initial-cluster=e2e={peer}""",
    "kube-apiserver": """--etcd-servers={etcd} --secure-port={port}
        --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --cert-dir={pki}
        --tls-cert-file={pki}/apiserver.crt --tls-private-key-file={pki}/apiserver.key
        --token-auth-file={work}/tokens.csv --authorization-mode=Node,RBAC
        --allow-privileged=true --service-cluster-ip-range=10.0.0.0/24
        --service-account-issuer=https://kubernetes.default.svc
        --service-account-key-file={pki}/sa.pub
        --service-account-signing-key-file={pki}/sa.key --profiling=false""",
    "kube-controller-manager": """--kubeconfig={work}/kubeconfig
        --leader-elect=false --secure-port=0 --profiling=false
        --root-ca-file={pki}/ca.crt --service-account-private-key-file={pki}/sa.key""",
    "kube-scheduler": """--kubeconfig={work}/kubeconfig
        --leader-elect=false --secure-port=0 --profiling=false""",
    "kwok": """--kubeconfig={work}/kubeconfig --manage-all-nodes=false
        --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake
        --node-ip=127.0.0.1 --cidr=10.244.0.0/24 --node-lease-duration-seconds=40
        {stages}""",
}
MODULES = Path(__file__).resolve().parent / "modules"
ISTIO = "istio.io/api"
CERT_MANAGER = "github.com/cert-manager/cert-manager"
KWOK = "sigs.k8s.io/kwok"
KWOK_STAGES = (
    "kustomize/stage/node/fast/node-initialize.yaml",
    "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
    "kustomize/stage/pod/fast/pod-ready.yaml",
    "kustomize/stage/pod/fast/pod-complete.yaml",
    "kustomize/stage/pod/fast/pod-delete.yaml",
)
EC_KEY = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 7"
OPENSSL = (
    "req -x509 {ec} -subj /CN=portfolio-e2e-ca -keyout ca.key -out ca.crt",
    """req -x509 {ec} -subj /CN=kube-apiserver -CA ca.crt -CAkey ca.key
        -addext subjectAltName=IP:127.0.0.1,DNS:localhost
        -addext basicConstraints=critical,CA:FALSE -addext extendedKeyUsage=serverAuth
        -keyout apiserver.key -out apiserver.crt""",
    "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out sa.key",
    "pkey -in sa.key -pubout -out sa.pub",
)
KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- name: {context}
  cluster: {{server: {server}, certificate-authority: {ca}}}
users:
- name: {context}
  user: {{token: {token}}}
contexts:
- name: {context}
  context: {{cluster: {context}, user: {context}}}
current-context: {context}
"""
KWOK_ANNOTATION = "kwok.x-k8s.io/node"
ZONES = ("e2e-zone-a", "e2e-zone-b", "e2e-zone-c")
NODE_RESOURCES = {"cpu": "16", "memory": "64Gi", "pods": "110"}
NAMESPACES = ("istio-system",)


def module_dirs(wrapper: str, *modules: str) -> dict[str, Path]:
    """Each module's extracted source, at the version the wrapper pins."""
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}
    done = subprocess.run(
        ["go", "mod", "download", "-json", *modules],
        cwd=MODULES / wrapper,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    decoder, text, pos = json.JSONDecoder(), done.stdout.strip(), 0
    dirs: dict[str, Path] = {}
    while pos < len(text):  # one JSON object per module, one after another
        info, pos = decoder.raw_decode(text, pos)
        pos = len(text) - len(text[pos:].lstrip())
        if info.get("Dir"):
            dirs[info["Path"]] = Path(info["Dir"])
    missing = [m for m in modules if m not in dirs]
    if missing or done.returncode:
        raise RuntimeError(
            f"e2e/modules/{wrapper}: go mod download {' '.join(missing)} failed:\n"
            f"{done.stdout}{done.stderr}"
        )
    return dirs


def crd_files() -> list[Path]:
    """Istio's and cert-manager's CustomResourceDefinition files."""
    dirs = module_dirs("crds", ISTIO, CERT_MANAGER)
    crds = dirs[CERT_MANAGER] / "deploy" / "crds"
    return [
        dirs[ISTIO] / "kubernetes" / "customresourcedefinitions.gen.yaml",
        *sorted(crds.glob("*.yaml")),
    ]


def kwok_stages() -> list[Path]:
    """The default Node and Pod Stages, as kwokctl configures them."""
    root = module_dirs("kwok", KWOK)[KWOK]
    return [root / rel for rel in KWOK_STAGES]


def make_pki(pki: Path) -> None:
    """The CA, serving certificate and service account keys, made in pki."""
    for step in OPENSSL:
        args = ["openssl", *step.format(ec=EC_KEY).split()]
        subprocess.run(args, cwd=pki, check=True, capture_output=True)


def kubeconfig(context: str, server: str, ca: Path, token: str) -> str:
    """A kubeconfig with one cluster, user and context, all named context."""
    values = {"context": context, "server": server, "ca": str(ca), "token": token}
    return KUBECONFIG.format(**{k: json.dumps(v) for k, v in values.items()})


def write_objects(path: Path) -> Path:
    """Write cluster_objects() as one List that kubectl can create."""
    items = cluster_objects()
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    return path


def cluster_objects() -> list[dict[str, Any]]:
    """The Namespaces the program expects, and one kwok Node per zone."""
    labels = {"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}
    namespaces = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        for name in NAMESPACES
    ]
    nodes = [
        {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": f"kwok-node-{i}",
                "annotations": {KWOK_ANNOTATION: "fake"},
                "labels": labels
                | {
                    "kubernetes.io/hostname": f"kwok-node-{i}",
                    "topology.kubernetes.io/zone": zone,
                    "type": "kwok",
                },
            },
            "status": {"allocatable": NODE_RESOURCES, "capacity": NODE_RESOURCES},
        }
        for i, zone in enumerate(ZONES)
    ]
    return namespaces + nodes
