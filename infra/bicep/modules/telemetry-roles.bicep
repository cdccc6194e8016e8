metadata description = 'Lets the apps\' managed identity publish telemetry to Application Insights with Microsoft Entra authentication (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).'

@description('Name of the Application Insights component the role is scoped to.')
param appInsightsName string

@description('Object id of the managed identity\'s service principal.')
param principalId string

@description('Resource id of the managed identity, known before deployment, used in the assignment name.')
param identityId string

// Monitoring Metrics Publisher: the one built-in role that allows telemetry ingestion.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityId, monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
