metadata description = '''The GPU SKU path: a second copy of the Functions app hosted on Azure Container Apps (kind functionapp)
with a serverless GPU workload profile. It runs the same image with Clv__Scoring__ExecutionProvider=cuda and takes
over the score-shards queue; the Flex Consumption app keeps ingestion, training and the HTTP API.'''

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the container app.')
param appName string

@description('Azure region; it must offer the chosen serverless GPU profile.')
param location string

@description('Tags applied to the environment and the app.')
param tags object

@description('Serverless GPU workload profile type.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Container image of the Functions app, built from src/Functions with a CUDA-enabled ONNX Runtime.')
param image string

@description('Login server of the registry that holds the image, pulled as the managed identity (AcrPull); empty for a public image.')
param registryServer string

@description('Most replicas the scorer scales out to.')
@minValue(1)
@maxValue(100)
param maxReplicas int

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Resource id of the Log Analytics workspace that receives the environment\'s logs.')
param workspaceId string

@description('NCRONTAB schedule of the Train timer; set here only so the disabled timer\'s binding expression %ClvTrainingSchedule% resolves.')
param trainingSchedule string

@description('Width of one time step (Clv__Features__Bucket).')
param bucket string

@description('Steps per customer sequence, T (Clv__Features__SequenceLength).')
param sequenceLength int

@description('Prediction horizon in buckets (Clv__Features__HorizonBuckets).')
param horizonBuckets int

@description('Prefix of the product\'s container, table and queue names (Clv__Storage__NamePrefix).')
@maxLength(24)
param dataNamePrefix string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// CPU and memory of one replica: the whole GPU profile (1 T4: 8 vCPU, 56 GiB; 1 A100: 24 vCPU, 220 GiB).
var replicaSizes = {
  'Consumption-GPU-NC8as-T4': {
    cpu: '8'
    memory: '56Gi'
  }
  'Consumption-GPU-NC24-A100': {
    cpu: '24'
    memory: '220Gi'
  }
}

var gpuProfileName = 'gpu'

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs go through Azure Monitor diagnostic settings, so no workspace key is ever handled.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

resource scorer 'Microsoft.App/containerApps@2025-07-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              identity: identityId
            }
          ]
    }
    template: {
      containers: [
        {
          name: 'scorer'
          image: image
          resources: {
            cpu: json(replicaSizes[gpuProfileType].cpu)
            memory: replicaSizes[gpuProfileType].memory
          }
          env: [
            {
              name: 'AzureWebJobsStorage__blobServiceUri'
              value: storage.properties.primaryEndpoints.blob
            }
            {
              name: 'AzureWebJobsStorage__queueServiceUri'
              value: storage.properties.primaryEndpoints.queue
            }
            {
              name: 'AzureWebJobsStorage__tableServiceUri'
              value: storage.properties.primaryEndpoints.table
            }
            {
              name: 'AzureWebJobsStorage__credential'
              value: 'managedidentity'
            }
            {
              name: 'AzureWebJobsStorage__clientId'
              value: identityClientId
            }
            {
              name: 'AZURE_CLIENT_ID'
              value: identityClientId
            }
            {
              name: 'FUNCTIONS_WORKER_RUNTIME'
              value: 'dotnet-isolated'
            }
            {
              name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
              value: appInsights.properties.ConnectionString
            }
            {
              name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
              value: 'Authorization=AAD;ClientId=${identityClientId}'
            }
            {
              name: 'Clv__Storage__BlobServiceUri'
              value: storage.properties.primaryEndpoints.blob
            }
            {
              name: 'Clv__Storage__QueueServiceUri'
              value: storage.properties.primaryEndpoints.queue
            }
            {
              name: 'Clv__Storage__TableServiceUri'
              value: storage.properties.primaryEndpoints.table
            }
            {
              name: 'Clv__Storage__ManagedIdentityClientId'
              value: identityClientId
            }
            {
              name: 'Clv__Storage__NamePrefix'
              value: dataNamePrefix
            }
            {
              name: 'Clv__Features__Bucket'
              value: bucket
            }
            {
              name: 'Clv__Features__SequenceLength'
              value: string(sequenceLength)
            }
            {
              name: 'Clv__Features__HorizonBuckets'
              value: string(horizonBuckets)
            }
            {
              name: 'Clv__Scoring__ExecutionProvider'
              value: 'cuda'
            }
            // Only shard scoring runs here: training stays on the Flex app (one timer, one trainer),
            // and the Event Grid subscription targets the Flex app's blob trigger.
            {
              name: 'ClvTrainingSchedule'
              value: trainingSchedule
            }
            {
              name: 'ClvExportsContainer'
              value: '${dataNamePrefix}exports'
            }
            {
              name: 'ClvScoreShardsQueue'
              value: '${dataNamePrefix}score-shards'
            }
            {
              name: 'ClvCompactShardsQueue'
              value: '${dataNamePrefix}compact-shards'
            }
            {
              name: 'ClvExportEventsQueue'
              value: '${dataNamePrefix}export-events'
            }
            {
              name: 'AzureWebJobs.CompactShards.Disabled'
              value: 'true'
            }
            {
              name: 'AzureWebJobs.ExportDeleted.Disabled'
              value: 'true'
            }
            {
              name: 'AzureWebJobs.Train.Disabled'
              value: 'true'
            }
            {
              name: 'AzureWebJobs.Featurize.Disabled'
              value: 'true'
            }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
      }
    }
  }
}

@description('Name of the GPU scoring container app.')
output name string = scorer.name
