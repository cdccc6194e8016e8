#!/usr/bin/env bash
# Subscribes the Featurize blob trigger to BlobCreated events of the exports container, and the
# export-events queue (read by the ExportDeleted function) to its BlobDeleted events; both dead-letter
# undeliverable events to the eventgrid-deadletter container, which an alert watches.
#
#   infra/scripts/post-deploy.sh -g RESOURCE_GROUP -a FUNCTION_APP -t SYSTEM_TOPIC [-f FUNCTION] [-c CONTAINER] [-q QUEUE]
#
# The Event Grid webhook of a blob trigger needs the Functions host's blobs_extension system key,
# which exists only once the code is deployed and the host has started; this script waits for it,
# then creates (or updates) the subscription on the storage account's system topic. Re-running it
# is safe. Needs: Azure CLI, logged in (az login).
set -euo pipefail

function_name=Featurize
container=exports
events_queue=export-events
resource_group="" app="" topic=""

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

while getopts "g:a:t:f:c:q:h" option; do
  case "$option" in
    g) resource_group=$OPTARG ;;
    a) app=$OPTARG ;;
    t) topic=$OPTARG ;;
    f) function_name=$OPTARG ;;
    c) container=$OPTARG ;;
    q) events_queue=$OPTARG ;;
    *) usage ;;
  esac
done
[[ -n "$resource_group" && -n "$app" && -n "$topic" ]] || usage

echo "==> waiting for the blobs extension key of $app (the host creates it when it first starts)"
key=""
for attempt in $(seq 1 30); do
  key=$(az functionapp keys list -g "$resource_group" -n "$app" --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
  if [[ -n "$key" ]]; then break; fi
  # Any request wakes a scaled-to-zero host so that it registers its extensions.
  host=$(az functionapp show -g "$resource_group" -n "$app" --query defaultHostName -o tsv)
  curl -s -o /dev/null "https://$host/api/health" || true
  echo "    not there yet (attempt $attempt of 30); retrying in 10 s"
  sleep 10
done
if [[ -z "$key" ]]; then
  echo "The blobs_extension key of $app did not appear. Is the code deployed, with a blob trigger whose Source is EventGrid?" >&2
  exit 1
fi

host=$(az functionapp show -g "$resource_group" -n "$app" --query defaultHostName -o tsv)
endpoint="https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$function_name&code=$key"

storage_id=$(az eventgrid system-topic show -g "$resource_group" -n "$topic" --query source -o tsv)
dead_letter="$storage_id/blobServices/default/containers/eventgrid-deadletter"

echo "==> subscribing $function_name to BlobCreated in container '$container' (topic $topic)"
az eventgrid system-topic event-subscription create \
  --name "$(tr '[:upper:]' '[:lower:]' <<<"$function_name")-$container" \
  --resource-group "$resource_group" \
  --system-topic-name "$topic" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$container/" \
  --event-delivery-schema eventgridschema \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-endpoint "$dead_letter" \
  --output none

echo "==> subscribing queue $events_queue to BlobDeleted in container '$container' (topic $topic)"
az eventgrid system-topic event-subscription create \
  --name "exportdeleted-$container" \
  --resource-group "$resource_group" \
  --system-topic-name "$topic" \
  --endpoint-type storagequeue \
  --endpoint "$storage_id/queueServices/default/queues/$events_queue" \
  --included-event-types Microsoft.Storage.BlobDeleted \
  --subject-begins-with "/blobServices/default/containers/$container/" \
  --event-delivery-schema eventgridschema \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-endpoint "$dead_letter" \
  --output none

echo "==> done: new blobs in '$container' now trigger $function_name; deleted ones are cleared up by ExportDeleted"
