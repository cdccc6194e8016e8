// Production: zone-redundant storage, longer retention, Microsoft Entra-only telemetry, alerts
// routed to the action group named by CLV_ACTION_GROUP_ID.
using 'main.bicep'

param environmentName = 'prod'
param storageSku = 'Standard_ZRS'
param storagePublicNetworkAccess = 'Disabled'
param blobDeleteRetentionDays = 30
param maximumInstanceCount = 100
param instanceMemoryMB = 4096
param logRetentionDays = 90
param appInsightsEntraAuthOnly = true
param trainingSchedule = '0 0 3 * * *'
param trainingAlertWindow = 'P2D'
param functionFailurePercent = 5
param tableThrottlingThreshold = 10
param actionGroupId = readEnvironmentVariable('CLV_ACTION_GROUP_ID', '')
param operatorPrincipalId = readEnvironmentVariable('CLV_OPERATOR_PRINCIPAL_ID', '')
param deployGpuScoring = bool(readEnvironmentVariable('CLV_GPU_SCORING', 'false'))
param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param gpuScoringImage = readEnvironmentVariable('CLV_GPU_IMAGE', '')
param gpuRegistryServer = readEnvironmentVariable('CLV_GPU_REGISTRY', '')
param gpuMaxReplicas = 8
