#!/usr/bin/env bash
# Deploys the CLV scorer into one resource group in three steps: the infrastructure (Bicep), the
# Functions code, and the Event Grid subscription of the blob trigger.
#
#   infra/deploy.sh -g RESOURCE_GROUP [-l LOCATION] [-e dev|prod] [--infra-only]
#
#   -g  resource group (created when missing; then -l is required)
#   -l  Azure region for a new resource group
#   -e  environment: picks infra/bicep/main.{env}.bicepparam (default dev)
#   --infra-only  deploy the Bicep template only (no code, no Event Grid subscription)
#
# Optional environment, read by the parameter files:
#   CLV_ACTION_GROUP_ID        resource id of an existing action group for the alerts
#   CLV_OPERATOR_PRINCIPAL_ID  object id granted upload/read on storage (default: the signed-in user)
#   CLV_GPU_SCORING=true, CLV_GPU_IMAGE, CLV_GPU_REGISTRY   the GPU scorer on Azure Container Apps
#
# Needs: Azure CLI (az login), .NET 10 SDK, zip, curl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
resource_group="" location="" environment=dev infra_only=false

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    -g) resource_group=${2:?-g needs a resource group}; shift 2 ;;
    -l) location=${2:?-l needs a region}; shift 2 ;;
    -e) environment=${2:?-e needs dev or prod}; shift 2 ;;
    --infra-only) infra_only=true; shift ;;
    *) usage ;;
  esac
done
[[ -n "$resource_group" ]] || usage
parameters="$root/infra/bicep/main.$environment.bicepparam"
[[ -f "$parameters" ]] || { echo "No parameter file $parameters (use -e dev or -e prod)." >&2; exit 2; }

if [[ "$(az group exists -n "$resource_group")" != "true" ]]; then
  [[ -n "$location" ]] || { echo "Resource group $resource_group does not exist; give -l LOCATION to create it." >&2; exit 2; }
  echo "==> creating resource group $resource_group in $location"
  az group create -n "$resource_group" -l "$location" --output none
fi

if [[ -z "${CLV_OPERATOR_PRINCIPAL_ID:-}" ]]; then
  # A person deploying gets upload and read access to the data; a service principal gets nothing.
  CLV_OPERATOR_PRINCIPAL_ID=$(az ad signed-in-user show --query id -o tsv 2>/dev/null || true)
  export CLV_OPERATOR_PRINCIPAL_ID
fi

echo "==> deploying infrastructure ($parameters)"
az deployment group create \
  -g "$resource_group" \
  -n "clv-$environment" \
  --parameters "$parameters" \
  --output none
output() { az deployment group show -g "$resource_group" -n "clv-$environment" --query "properties.outputs.$1.value" -o tsv; }
app=$(output functionAppName)
topic=$(output storageEventsTopicName)
storage=$(output storageAccountName)
exports=$(output exportsContainerName)
events=$(output exportEventsQueueName)
echo "    function app $app, storage account $storage"

if [[ "$infra_only" == "true" ]]; then
  exit 0
fi

echo "==> publishing src/Functions to $app"
publish="$(mktemp -d "${TMPDIR:-/tmp}/clv-publish.XXXXXX")"
trap 'rm -rf "$publish"' EXIT
# Linux x64, ReadyToRun (set in Functions.csproj for publishing).
dotnet publish "$root/src/Functions/Functions.csproj" -c Release -o "$publish/app" -nologo
(cd "$publish/app" && zip -qr "$publish/app.zip" .)
# On Flex Consumption the package goes to the app-package container, read by the app's identity.
az functionapp deployment source config-zip -g "$resource_group" -n "$app" --src "$publish/app.zip" --output none

"$root/infra/scripts/post-deploy.sh" -g "$resource_group" -a "$app" -t "$topic" -c "$exports" -q "$events"

cat <<DONE
==> deployed
    drop an export:  az storage blob upload --auth-mode login --account-name $storage -c $exports -f orders.csv -n orders.csv
    workbook:        portal, Application Insights $(output appInsightsName), Workbooks, "CLV pipeline ($environment)"
DONE
