// Idempotent bootstrap of the single-member replica set `rs0`, run by the mongo
// service's healthcheck in docker-compose.yml (mongosh, inside the mongo container).
//
// First run on an empty data volume: rs.status() fails with NotYetInitialized, so the
// set is initiated with the member addressed by its compose service name (clients use
// mongodb://mongo:27017/?replicaSet=rs0 and discover the member under that name).
// Every run: exit 0 only once this node is the writable primary, so services that wait
// on `condition: service_healthy` never meet a "not primary" error at start.
const replicaSet = {
  _id: "rs0",
  members: [{ _id: 0, host: "mongo:27017" }],
};

try {
  rs.status();
} catch (error) {
  if (error.code !== 94 && error.codeName !== "NotYetInitialized") {
    throw error; // still starting or something else: unhealthy for now, retried
  }
  rs.initiate(replicaSet);
}

quit(db.hello().isWritablePrimary ? 0 : 1);
