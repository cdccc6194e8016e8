metadata description = '''Customer lifetime value scorer: one storage account (exports, features, rejected, models; Predictions,
Ingestions and Runs tables; score-shards queue), a Flex Consumption Function App running as a user-assigned managed
identity, Log Analytics and Application Insights, alerts, the pipeline workbook, and an optional GPU scorer on Azure
Container Apps. No account keys or secrets anywhere: every data-plane call is a Microsoft Entra call.'''

// ---------------------------------------------------------------------------------------------
// Naming and placement
// ---------------------------------------------------------------------------------------------

@description('Azure region for every resource (the GPU scorer\'s region must offer the chosen GPU profile).')
param location string = resourceGroup().location

@description('Short prefix of resource names: lowercase letters and digits (it starts the storage account name).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'clv'

@description('Prefix of the product\'s container, table and queue names (Clv__Storage__NamePrefix): empty, or up to 24 lowercase letters and digits, so several environments can share one account.')
@maxLength(24)
param dataNamePrefix string = ''

@description('Environment this deployment serves; part of resource names and tags.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string = 'dev'

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Public network access to the storage account: Enabled (dev) or Disabled (prod; trusted Azure services and private endpoints only, see infra/README.md).')
@allowed([
  'Enabled'
  'Disabled'
])
param storagePublicNetworkAccess string = 'Enabled'

@description('Days deleted blobs and containers stay recoverable.')
@minValue(1)
@maxValue(365)
param blobDeleteRetentionDays int = 7

// ---------------------------------------------------------------------------------------------
// Functions host
// ---------------------------------------------------------------------------------------------

@description('Most instances the Flex Consumption plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Flex Consumption instance, in MB. 4096 for training at the default sample of 50,000 customers and for two 1 GB exports at once; 2048 holds featurize, compaction and scoring at host.json concurrency (README, Sizing).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 4096

// ---------------------------------------------------------------------------------------------
// Product configuration (the Clv__* app settings)
// ---------------------------------------------------------------------------------------------

@description('Width of one time step.')
@allowed([
  'day'
  'week'
  'month'
])
param bucket string = 'week'

@description('Steps per customer sequence, T.')
@minValue(1)
@maxValue(1000)
param sequenceLength int = 52

@description('Prediction horizon in buckets.')
@minValue(1)
@maxValue(1000)
param horizonBuckets int = 26

@description('Largest share of rejected rows an export may have before it fails as a whole, as a decimal string.')
param maxRejectedShare string = '0.2'

@description('Key Vault secret URI of the key that keys e-mail and phone customer ids (HMAC-SHA256), e.g. https://vault.vault.azure.net/secrets/clv-customer-id-key; the app identity needs Key Vault Secrets User on it. Empty: exports keyed by e-mail fail.')
param customerIdKeySecretUri string = ''

@description('The one currency of the deployment (ISO 4217, e.g. EUR); empty: each export counts in its most common currency.')
param currency string = ''

@description('NCRONTAB schedule (six fields, UTC) of the Train timer.')
param trainingSchedule string = '0 0 3 * * *'

// ---------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('When true, Application Insights accepts only Microsoft Entra authenticated telemetry; the apps then send it as their managed identity.')
param appInsightsEntraAuthOnly bool = true

@description('Resource id of an existing action group the alerts notify; empty creates the alerts without notifications.')
param actionGroupId string = ''

@description('Failure rate of function executions, in percent, above which the failure alert fires.')
@minValue(1)
@maxValue(100)
param functionFailurePercent int = 10

@description('Window in which at least one training run must complete; longer than the training schedule\'s period.')
@allowed([
  'PT6H'
  'PT12H'
  'P1D'
  'P2D'
])
param trainingAlertWindow string = 'P2D'

@description('Throttled table transactions in 15 minutes above which the throttling alert fires.')
@minValue(0)
param tableThrottlingThreshold int = 10

@description('Realized Gini, in percent, below which the realized-accuracy alert fires (the champion\'s predictions judged on the spend that followed them).')
@minValue(0)
@maxValue(100)
param realizedGiniThresholdPercent int = 40

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

@description('Object id of a user or group that operates the product (uploads exports, reads predictions); empty grants nobody.')
param operatorPrincipalId string = ''

@description('Kind of the operator principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------
// GPU SKU path (optional)
// ---------------------------------------------------------------------------------------------

@description('Deploys the GPU scorer: the Functions app as an Azure Container App (kind functionapp) on a serverless GPU workload profile, which then owns the score-shards queue.')
param deployGpuScoring bool = false

@description('Serverless GPU workload profile of the GPU scorer.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Container image of the Functions app with the CUDA execution provider; required when deployGpuScoring is true.')
param gpuScoringImage string = ''

@description('Login server of the registry holding gpuScoringImage (the managed identity needs AcrPull there); empty for a public image.')
param gpuRegistryServer string = ''

@description('Most GPU replicas.')
@minValue(1)
@maxValue(100)
param gpuMaxReplicas int = 4

// ---------------------------------------------------------------------------------------------
// Names and contract
// ---------------------------------------------------------------------------------------------

var token = toLower(uniqueString(subscription().id, resourceGroup().id, namePrefix, environmentName))
var baseName = '${namePrefix}-${environmentName}-${take(token, 6)}'
// Names are fixed before deployment starts, so What-If predicts every resource precisely.
var identityName = '${baseName}-id'
var identityId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', identityName)
var storageAccountName = take('${namePrefix}${token}', 24)
var workspaceName = '${baseName}-logs'
var appInsightsName = '${baseName}-appi'
var appInsightsId = resourceId('Microsoft.Insights/components', appInsightsName)
var functionAppName = '${baseName}-func'
var tags = {
  application: 'clv'
  environment: environmentName
}

var deploymentContainerName = 'app-package'

// Built-in roles. The apps' identity: the Functions host and the blob trigger need Blob Data Owner
// (leases, receipts, the deployment package), queues and tables need contributor data access.
// Nothing at the control plane, no Storage Account Contributor, no Owner.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// The operator uploads exports and reads results.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageTableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6'

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    disableLocalAuth: appInsightsEntraAuthOnly
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
    blobDeleteRetentionDays: blobDeleteRetentionDays
    workspaceId: monitoring.outputs.workspaceId
    systemTopicName: '${baseName}-storage-events'
    dataNamePrefix: dataNamePrefix
    publicNetworkAccess: storagePublicNetworkAccess
  }
}

module appStorageRoles 'modules/storage-roles.bicep' = {
  name: 'app-storage-roles'
  params: {
    storageAccountName: storageAccountName
    principalId: identity.outputs.principalId
    principalKey: identityId
    principalType: 'ServicePrincipal'
    roleDefinitionIds: [
      storageBlobDataOwner
      storageQueueDataContributor
      storageTableDataContributor
    ]
  }
  dependsOn: [
    storage
  ]
}

module operatorStorageRoles 'modules/storage-roles.bicep' = if (!empty(operatorPrincipalId)) {
  name: 'operator-storage-roles'
  params: {
    storageAccountName: storageAccountName
    principalId: operatorPrincipalId
    principalKey: operatorPrincipalId
    principalType: operatorPrincipalType
    roleDefinitionIds: [
      storageBlobDataReader
      storageTableDataReader
    ]
  }
  dependsOn: [
    storage
  ]
}

// The operator uploads exports and reads everything, but cannot write features, rejected rows or models/.
module operatorExportsRole 'modules/container-role.bicep' = if (!empty(operatorPrincipalId)) {
  name: 'operator-exports-role'
  params: {
    storageAccountName: storageAccountName
    containerName: 'exports'
    principalId: operatorPrincipalId
    principalKey: operatorPrincipalId
    principalType: operatorPrincipalType
    roleDefinitionId: storageBlobDataContributor
  }
  dependsOn: [
    storage
  ]
}

module telemetryRoles 'modules/telemetry-roles.bicep' = {
  name: 'telemetry-roles'
  params: {
    appInsightsName: appInsightsName
    principalId: identity.outputs.principalId
    identityId: identityId
  }
  dependsOn: [
    monitoring
  ]
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  params: {
    name: functionAppName
    planName: '${baseName}-plan'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    appInsightsName: appInsightsName
    workspaceId: monitoring.outputs.workspaceId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    bucket: bucket
    sequenceLength: sequenceLength
    horizonBuckets: horizonBuckets
    maxRejectedShare: maxRejectedShare
    customerIdKeySecretUri: customerIdKeySecretUri
    currency: currency
    trainingSchedule: trainingSchedule
    gpuScoringEnabled: deployGpuScoring
    dataNamePrefix: dataNamePrefix
  }
  // The host reaches storage as the identity from its first start.
  dependsOn: [
    storage
    appStorageRoles
    telemetryRoles
  ]
}

module gpuScoring 'modules/gpu-scoring.bicep' = if (deployGpuScoring) {
  name: 'gpu-scoring'
  params: {
    environmentName: '${baseName}-gpu-env'
    appName: '${baseName}-gpu'
    location: location
    tags: tags
    gpuProfileType: gpuProfileType
    image: gpuScoringImage
    registryServer: gpuRegistryServer
    maxReplicas: gpuMaxReplicas
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    appInsightsName: appInsightsName
    workspaceId: monitoring.outputs.workspaceId
    bucket: bucket
    sequenceLength: sequenceLength
    horizonBuckets: horizonBuckets
    trainingSchedule: trainingSchedule
    dataNamePrefix: dataNamePrefix
  }
  dependsOn: [
    storage
    appStorageRoles
    telemetryRoles
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: baseName
    location: location
    tags: tags
    actionGroupId: actionGroupId
    workspaceId: monitoring.outputs.workspaceId
    appInsightsId: appInsightsId
    storageAccountName: storageAccountName
    functionAppName: functionAppName
    watchedQueueNames: [
      storage.outputs.scoreQueueName
      storage.outputs.compactQueueName
      storage.outputs.exportEventsQueueName
    ]
    eventsTopicId: storage.outputs.systemTopicId
    functionFailurePercent: functionFailurePercent
    functionFailureMinimumExecutions: 10
    trainingWindow: trainingAlertWindow
    tableThrottlingThreshold: tableThrottlingThreshold
    realizedGiniThresholdPercent: realizedGiniThresholdPercent
  }
  dependsOn: [
    functionApp
  ]
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    tags: tags
    displayName: 'CLV pipeline (${environmentName})'
    appInsightsId: appInsightsId
  }
  dependsOn: [
    monitoring
  ]
}

// ---------------------------------------------------------------------------------------------
// Outputs (read by infra/deploy.sh and infra/scripts/post-deploy.sh)
// ---------------------------------------------------------------------------------------------

@description('Name of the Function App.')
output functionAppName string = functionApp.outputs.name

@description('Host name of the Function App; the HTTP API lives under https://{host}/api/.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('Name of the Event Grid system topic the blob trigger subscribes to.')
output storageEventsTopicName string = storage.outputs.systemTopicName

@description('Container whose new blobs trigger featurization.')
output exportsContainerName string = storage.outputs.exportsContainerName

@description('Queue that Event Grid delivers BlobDeleted events of the exports container to (read by ExportDeleted).')
output exportEventsQueueName string = storage.outputs.exportEventsQueueName

@description('Name of the Application Insights component.')
output appInsightsName string = monitoring.outputs.appInsightsName

@description('Resource id of the pipeline workbook.')
output workbookId string = workbook.outputs.id

@description('Client id of the apps\' managed identity.')
output identityClientId string = identity.outputs.clientId

@description('Name of the GPU scoring container app; empty when it is not deployed.')
output gpuScoringAppName string = deployGpuScoring ? gpuScoring!.outputs.name : ''
