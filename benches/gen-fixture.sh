#!/usr/bin/env bash
# Writes an `imds-mock --fixture` file (docs/ARCHITECTURE.md §5) with N placement groups on stdout.
#
# Usage: benches/gen-fixture.sh [N] > fixture.json      (N defaults to 1000)
#
# The instance, initialization and keys follow the shapes of IBM's documentation examples
# (docs/SERVICE.md §3.1-3.6); only the placement-group count is large. Needs jq.
set -euo pipefail

count=${1:-1000}
case $count in
'' | *[!0-9]*)
    echo "gen-fixture: N must be a whole number, got '$count'" >&2
    exit 2
    ;;
esac

jq -n --argjson n "$count" '
def uuid($i): "r006-\($i | tostring | ("00000000" + .)[-8:])-a3e9-47b9-a938-1aa5bd632871";
def subnet: {crn: "crn:v1:bluemix:public:is:us-south-1:a/aa2432b1fa4d4ace891e9b80fc104e34::subnet:0717-bea6a632-5e13-42a4-b4b8-31dc877abfe4",
             id: "0717-bea6a632-5e13-42a4-b4b8-31dc877abfe4", name: "my-subnet", resource_type: "subnet"};
def nic: {id: "0717-7ca88dfb-8962-469d-b1de-1dd56f4c3275", name: "my-network-interface",
          primary_ipv4_address: "10.0.0.32", resource_type: "network_interface", subnet: subnet};
def key($i; $type): {
  created_at: "2021-10-19T16:39:23.000Z",
  crn: "crn:v1:bluemix:public:is:us-south:a/aa2432b1fa4d4ace891e9b80fc104e34::key:r006-44e5\($i)",
  fingerprint: "SHA256:lZmocJFsWfJcIl8Jdp8r6Ak8gzMqxrFb9UtwWCk27C\($i)",
  id: "r006-44e5\($i)", length: (if $type == "rsa" then 4096 else 256 end), name: "my-key\($i)",
  public_key: (if $type == "rsa"
    then "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAACAQDDGe50Bxa5T5NDddrrtbx2Y4/VGbiCgXqnBsYToIoKV1P\($i) key\($i)"
    else "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbYbN2nHTF8wbqzy3N/VGbiCgXqnBsYToIoKV1P\($i) key\($i)" end),
  resource_type: "key", type: $type};
{
  instance: {
    boot_volume_attachment: {id: "0717-a8a15363-a6f7-4f01-af60-715e85b28141", name: "my-boot-volume-attachment",
      volume: {crn: "crn:v1:bluemix:public:is:us-south-1:a/aa2432b1fa4d4ace891e9b80fc104e34::volume:r006-49c5d61b-41e7-4c01-9b7a-1a97366c6916",
               id: "r006-49c5d61b-41e7-4c01-9b7a-1a97366c6916", name: "my-boot-volume"}},
    created_at: "2021-10-19T16:11:57Z",
    crn: "crn:v1:bluemix:public:is:us-south-1:a/aa2432b1fa4d4ace891e9b80fc104e34::instance:0717_eb1b7391-2ca2-4ab5-84a8-b92157a633b0",
    disks: [],
    id: "0717_eb1b7391-2ca2-4ab5-84a8-b92157a633b0",
    image: {crn: "crn:v1:bluemix:public:is:us-south:a/aa2432b1fa4d4ace891e9b80fc104e34::image:r006-9aaf3bcb-dcd7-4de7-bb60-24e39ff9d366",
            id: "r006-9aaf3bcb-dcd7-4de7-bb60-24e39ff9d366", name: "my-image"},
    lifecycle_reasons: [], lifecycle_state: "stable",
    memory: 8,
    metadata_service: {enabled: true, protocol: "http", response_hop_limit: 1},
    name: "my-instance",
    network_interfaces: [nic],
    primary_network_interface: nic,
    profile: {name: "bx2-2x8"},
    resource_type: "instance",
    status: "running",
    vcpu: {architecture: "amd64", count: 2, manufacturer: "intel"},
    volume_attachments: [{id: "0717-a8a15363-a6f7-4f01-af60-715e85b28141", name: "my-boot-volume-attachment",
      volume: {crn: "crn:v1:bluemix:public:is:us-south-1:a/aa2432b1fa4d4ace891e9b80fc104e34::volume:r006-49c5d61b-41e7-4c01-9b7a-1a97366c6916",
               id: "r006-49c5d61b-41e7-4c01-9b7a-1a97366c6916", name: "my-boot-volume"}}],
    volume_bandwidth_qos_mode: "weighted",
    vpc: {crn: "crn:v1:bluemix:public:is:us-south:a/aa2432b1fa4d4ace891e9b80fc104e34::vpc:r006-f0aae929-7047-46d1-92e1-9102b07a7f6f",
          id: "r006-f0aae929-7047-46d1-92e1-9102b07a7f6f", name: "my-vpc", resource_type: "vpc"},
    zone: {name: "us-south-1"}
  },
  initialization: {
    keys: [range(1; 4) as $i | key($i; "rsa") | {crn, fingerprint, id, name, resource_type}],
    user_data: "#cloud-config\npackages:\n  - nginx\n"
  },
  keys: [key(1; "rsa"), key(2; "rsa"), key(3; "ed25519")],
  placement_groups: [range($n) as $i | {
    created_at: "2021-10-12T19:55:00Z",
    crn: "crn:v1:bluemix:public:is:us-south:a/aa2432b1fa4d4ace891e9b80fc104e34::placement-group:\(uuid($i))",
    id: uuid($i),
    lifecycle_state: "stable",
    name: "my-placement-group-\($i)",
    resource_type: "placement_group",
    strategy: (if $i % 2 == 0 then "host_spread" else "power_spread" end)
  }]
}'
