"""Apache Kafka 4.x, one combined broker+controller in KRaft mode, from Maven Central jars.

Install: ``mvn dependency:copy-dependencies`` of ``kafka/pom.xml`` into
``<cache>/kafka/<version>/libs`` (once). Start: format the storage on first start
(``kafka.tools.StorageTool format --standalone``), then ``java -Xmx512m -cp 'libs/*'
kafka.Kafka server.properties``. Ready when a metadata request answers; then the
``events`` topic is created with its partitions if it is missing.
"""

from __future__ import annotations

import asyncio
import base64
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from devstack.cache import cache_dir
from devstack.errors import StackError
from devstack.process import port_open
from devstack.service import Service

KAFKA_VERSION = "4.1.1"
HEAP = "512m"
POM = Path(__file__).parent / "kafka" / "pom.xml"

LOG4J2 = """<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <File name="file" fileName="{log}" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Logger name="kafka" level="INFO"/>
    <Logger name="org.apache.kafka" level="INFO"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Root level="WARN"><AppenderRef ref="file"/></Root>
  </Loggers>
</Configuration>
"""


def libs_dir() -> Path:
    return cache_dir() / "kafka" / KAFKA_VERSION / "libs"


def install_jars() -> Path:
    """Resolve the broker's jars from Maven Central into the cache (no-op when present)."""
    libs = libs_dir()
    if (libs / ".complete").exists():
        return libs
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise StackError("kafka: needs `java` (17+) and `mvn` on PATH to fetch the broker jars")
    staging = libs.with_name("libs.partial")
    shutil.rmtree(staging, ignore_errors=True)
    print(f"kafka: fetching Apache Kafka {KAFKA_VERSION} jars from Maven Central ...", flush=True)
    result = subprocess.run(
        [
            "mvn", "-B", "-Dstyle.color=never", "-f", str(POM),
            f"-Dkafka.version={KAFKA_VERSION}",
            "dependency:copy-dependencies",
            f"-DoutputDirectory={staging}",
            "-DincludeScope=runtime",
        ],
        check=False,
    )  # fmt: skip
    if result.returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
        raise StackError(f"kafka: Maven could not resolve the jars (exit {result.returncode})")
    (staging / ".complete").write_text(KAFKA_VERSION + "\n")
    shutil.rmtree(libs, ignore_errors=True)
    staging.rename(libs)
    print(f"kafka: {len(list(libs.glob('*.jar')))} jars cached in {libs}", flush=True)
    return libs


class Kafka(Service):
    name = "kafka"
    start_timeout = 90.0

    @property
    def ports(self) -> Sequence[int]:
        return (self.settings.kafka_port, self.settings.kafka_controller_port)

    @property
    def config_file(self) -> Path:
        return self.state_dir / "conf" / "kafka.properties"

    @property
    def log4j_file(self) -> Path:
        return self.state_dir / "conf" / "kafka-log4j2.xml"

    def install(self) -> None:
        install_jars()

    def properties(self) -> str:
        port, cport = self.settings.kafka_port, self.settings.kafka_controller_port
        return "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.bootstrap.servers=127.0.0.1:{cport}",
                f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                f"log.dirs={self.data_dir / 'logs'}",
                f"num.partitions={self.settings.kafka_partitions}",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=12",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                # the default 128 MB dedupe buffer would exhaust a 512 MB heap
                "log.cleaner.dedupe.buffer.size=16777216",
                "",
            ]
        )

    def prepare(self) -> None:
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(self.properties())
        self.log4j_file.write_text(LOG4J2.format(log=self.state_dir / "logs" / "kafka-server.log"))
        if (self.data_dir / "logs" / "meta.properties").exists():
            return
        cluster_id = new_cluster_id()
        result = subprocess.run(
            [*self._java(), "kafka.tools.StorageTool", "format", "--standalone",
             f"--cluster-id={cluster_id}", "-c", str(self.config_file)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            output = result.stdout + result.stderr
            raise StackError(f"kafka: formatting the storage failed:\n{output}")

    def _java(self) -> list[str]:
        return [
            "java",
            f"-Xmx{HEAP}",
            f"-Xms{HEAP}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.log4j_file}",
            "-cp",
            f"{libs_dir()}/*",
        ]

    def argv(self) -> Sequence[str]:
        return [*self._java(), "kafka.Kafka", str(self.config_file)]

    def answers(self) -> bool:
        if not port_open(self.settings.kafka_port):
            return False
        return asyncio.run(self._metadata())

    async def _metadata(self) -> bool:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self.settings.kafka_bootstrap, request_timeout_ms=3000
        )
        try:
            await admin.start()
            await admin.describe_cluster()
            return True
        finally:
            await admin.close()

    def after_ready(self) -> None:
        asyncio.run(
            ensure_topic(
                self.settings.kafka_bootstrap,
                self.settings.kafka_topic,
                self.settings.kafka_partitions,
            )
        )


async def ensure_topic(bootstrap: str, topic: str, partitions: int) -> None:
    """Create the topic with its partitions unless it exists (replication factor 1)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    await admin.start()
    try:
        if topic in await admin.list_topics():
            return
        try:
            await admin.create_topics([NewTopic(topic, partitions, 1)])
        except TopicAlreadyExistsError:
            return
    finally:
        await admin.close()


def new_cluster_id() -> str:
    """A random KRaft cluster id (22 url-safe base64 characters). One in 64 starts with
    "-", which the storage tool's argument parser takes for an option (it failed a fresh
    format once): the caller passes it as ``--cluster-id=<id>`` to be safe either way."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
