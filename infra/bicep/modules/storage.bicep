metadata description = 'The CLV storage account: blob containers, tables and the scoring queue of the storage contract, reachable only with Microsoft Entra identities, with its logs and metrics sent to Log Analytics.'

@description('Name of the storage account (3 to 24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account and its Event Grid system topic.')
param tags object

@description('Replication of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob container that holds the Functions deployment package.')
param deploymentContainerName string

@description('Days deleted blobs stay recoverable (exports are never modified or deleted by the product; this guards against mistakes).')
@minValue(1)
@maxValue(365)
param blobDeleteRetentionDays int

@description('Resource id of the Log Analytics workspace that receives the storage logs and metrics.')
param workspaceId string

@description('Name of the Event Grid system topic over this account (the post-deployment script subscribes the blob trigger to it).')
param systemTopicName string

@description('Prefix of the product\'s container, table and queue names (Clv__Storage__NamePrefix).')
@maxLength(24)
param dataNamePrefix string

@description('Public network access to the account. Disabled: only trusted Azure services (Event Grid delivery with its managed identity, Azure Monitor) and private endpoints reach it; the Function App then needs virtual network integration with private endpoints for blob, queue and table.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: blobDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: blobDeleteRetentionDays
    }
  }
}

// The storage contract: names are fixed (after the optional prefix) because triggers, jobs and
// readers outside this template use them.
resource exportsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: '${dataNamePrefix}exports'
  properties: {
    publicAccess: 'None'
  }
}

resource featuresContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: '${dataNamePrefix}features'
  properties: {
    publicAccess: 'None'
  }
}

resource rejectedContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: '${dataNamePrefix}rejected'
  properties: {
    publicAccess: 'None'
  }
}

resource modelsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: '${dataNamePrefix}models'
  properties: {
    publicAccess: 'None'
  }
}

// Event Grid events that could not be delivered (the exports subscriptions dead-letter here; an alert watches it).
resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: 'eventgrid-deadletter'
  properties: {
    publicAccess: 'None'
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource predictionsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = {
  parent: tableService
  name: '${dataNamePrefix}Predictions'
}

resource ingestionsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = {
  parent: tableService
  name: '${dataNamePrefix}Ingestions'
}

resource runsTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = {
  parent: tableService
  name: '${dataNamePrefix}Runs'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

// One message per shard: { modelVersion, asOf, shard }. The Functions host creates score-shards-poison
// on the first message that fails every retry.
resource scoreShardsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: '${dataNamePrefix}score-shards'
}

// One message per featurized or deleted export: { partial }, merged into the customer shard files
// features/shards/{partition}.parquet by the CompactShards function.
resource compactShardsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: '${dataNamePrefix}compact-shards'
}

// Event Grid BlobDeleted events of exports (the post-deployment script subscribes them), read by the ExportDeleted function.
resource exportEventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: '${dataNamePrefix}export-events'
}

// Account-level metrics (capacity, transactions); the per-service settings below add the request logs.
resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: storage
  properties: {
    workspaceId: workspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

var serviceLogs = [
  {
    categoryGroup: 'allLogs'
    enabled: true
  }
]

var serviceMetrics = [
  {
    category: 'Transaction'
    enabled: true
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: serviceLogs
    metrics: serviceMetrics
  }
}

// StorageQueueLogs feed the poison-queue alert.
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: serviceLogs
    metrics: serviceMetrics
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: serviceLogs
    metrics: serviceMetrics
  }
}

// Blob-created events for the Featurize blob trigger; the subscription itself needs the Functions
// blobs extension key, which exists only once the code is deployed (infra/scripts/post-deploy.sh).
resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource id of the storage account.')
output id string = storage.id

@description('Blob service endpoint, e.g. https://{account}.blob.core.windows.net/.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Queue service endpoint.')
output queueEndpoint string = storage.properties.primaryEndpoints.queue

@description('Table service endpoint.')
output tableEndpoint string = storage.properties.primaryEndpoints.table

@description('Name of the Event Grid system topic over the account.')
output systemTopicName string = systemTopic.name

@description('Container whose new blobs trigger featurization.')
output exportsContainerName string = exportsContainer.name

@description('Container of the model versions and current.json.')
output modelsContainerName string = modelsContainer.name

@description('Queue of scoring shards.')
output scoreQueueName string = scoreShardsQueue.name

@description('Queue of deleted-export events.')
output exportEventsQueueName string = exportEventsQueue.name

@description('Name of the compact-shards queue.')
output compactQueueName string = compactShardsQueue.name

@description('Container of undeliverable Event Grid events.')
output deadLetterContainerName string = deadLetterContainer.name

@description('Resource id of the Event Grid system topic over the account.')
output systemTopicId string = systemTopic.id
