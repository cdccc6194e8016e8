metadata description = 'The CLV Function App on the Flex Consumption plan (FC1), .NET 10 isolated worker, running as a user-assigned managed identity: host storage, product storage and telemetry all without keys.'

@description('Name of the Function App (also its host name: {name}.azurewebsites.net).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Name of the storage account (host storage and product data).')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Resource id of the Log Analytics workspace that receives the app\'s logs.')
param workspaceId string

@description('Most instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB (README, Sizing).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Width of one time step (Clv__Features__Bucket).')
@allowed([
  'day'
  'week'
  'month'
])
param bucket string

@description('Steps per customer sequence, T (Clv__Features__SequenceLength).')
@minValue(1)
param sequenceLength int

@description('Prediction horizon in buckets (Clv__Features__HorizonBuckets).')
@minValue(1)
param horizonBuckets int

@description('Largest share of rejected rows an export may have before it fails as a whole (Clv__Ingest__RejectedShareThreshold), as a decimal string such as 0.05.')
param maxRejectedShare string

@description('Key Vault secret URI of the customer id key (Clv__Ingest__CustomerIdKey as a Key Vault reference, read as the app identity); empty for none.')
param customerIdKeySecretUri string

@description('The one currency of the deployment (Clv__Ingest__Currency); empty: each export counts in its most common currency.')
param currency string

@description('NCRONTAB schedule of the Train timer (Clv__Training__Schedule), six fields with seconds, e.g. 0 0 3 * * * for 03:00 UTC daily; also set as ClvTrainingSchedule for the timer binding.')
param trainingSchedule string

@description('When true, shard scoring runs on the GPU Container App and this app disables its ScoreShard function.')
param gpuScoringEnabled bool

@description('Prefix of the product\'s container, table and queue names (Clv__Storage__NamePrefix).')
@maxLength(24)
param dataNamePrefix string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    keyVaultReferenceIdentity: identityId
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Every setting is a plain value: service URIs and the identity's client id, never a key or a
// connection string with a secret. Flex Consumption takes the runtime from functionAppConfig, so
// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are deliberately absent.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
    Clv__Storage__BlobServiceUri: storage.properties.primaryEndpoints.blob
    Clv__Storage__QueueServiceUri: storage.properties.primaryEndpoints.queue
    Clv__Storage__TableServiceUri: storage.properties.primaryEndpoints.table
    Clv__Storage__ManagedIdentityClientId: identityClientId
    Clv__Storage__NamePrefix: dataNamePrefix
    Clv__Features__Bucket: bucket
    Clv__Features__SequenceLength: string(sequenceLength)
    Clv__Features__HorizonBuckets: string(horizonBuckets)
    Clv__Ingest__RejectedShareThreshold: maxRejectedShare
    Clv__Ingest__CustomerIdKey: empty(customerIdKeySecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${customerIdKeySecretUri})'
    Clv__Ingest__Currency: currency
    Clv__Training__Schedule: trainingSchedule
    // The Train timer's binding expression, %ClvTrainingSchedule%: the host resolves flat setting
    // names reliably on Linux, hierarchical (Section__Key) names not.
    ClvTrainingSchedule: trainingSchedule
    // The blob and queue triggers' binding expressions, %ClvExportsContainer%, %ClvScoreShardsQueue%,
    // %ClvCompactShardsQueue% and %ClvExportEventsQueue%:
    // the contract's names after the prefix.
    ClvExportsContainer: '${dataNamePrefix}exports'
    ClvScoreShardsQueue: '${dataNamePrefix}score-shards'
    ClvCompactShardsQueue: '${dataNamePrefix}compact-shards'
    ClvExportEventsQueue: '${dataNamePrefix}export-events'
    Clv__Scoring__ExecutionProvider: 'cpu'
    'AzureWebJobs.ScoreShard.Disabled': gpuScoringEnabled ? 'true' : 'false'
  }
}

// Deployments and tools authenticate with Microsoft Entra; publishing passwords stay off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

@description('Name of the Function App.')
output name string = app.name

@description('Resource id of the Function App.')
output id string = app.id

@description('Default host name, e.g. {name}.azurewebsites.net.')
output defaultHostName string = app.properties.defaultHostName
