// Development: smallest footprint, local-auth telemetry accepted, GPU scorer off unless asked for.
using 'main.bicep'

param environmentName = 'dev'
param storageSku = 'Standard_LRS'
param blobDeleteRetentionDays = 7
param maximumInstanceCount = 10
param instanceMemoryMB = 2048
param logRetentionDays = 30
param appInsightsEntraAuthOnly = false
param trainingSchedule = '0 0 3 * * *'
param trainingAlertWindow = 'P2D'
param functionFailurePercent = 20
param tableThrottlingThreshold = 50
param actionGroupId = readEnvironmentVariable('CLV_ACTION_GROUP_ID', '')
param operatorPrincipalId = readEnvironmentVariable('CLV_OPERATOR_PRINCIPAL_ID', '')
param deployGpuScoring = bool(readEnvironmentVariable('CLV_GPU_SCORING', 'false'))
param gpuScoringImage = readEnvironmentVariable('CLV_GPU_IMAGE', '')
param gpuRegistryServer = readEnvironmentVariable('CLV_GPU_REGISTRY', '')
