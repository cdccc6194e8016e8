metadata description = 'The CLV pipeline workbook: ingestion and rejected share, model metrics per version, scoring throughput, CLV distribution.'

@description('Azure region of the workbook.')
param location string

@description('Tags applied to the workbook.')
param tags object

@description('Title shown in the portal\'s workbook gallery.')
param displayName string

@description('Resource id of the Application Insights component the workbook reads from and is listed under.')
param appInsightsId string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook names must be GUIDs; this one is stable per resource group and component.
  name: guid(resourceGroup().id, appInsightsId, 'clv-pipeline-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    version: 'Notebook/1.0'
    sourceId: appInsightsId
    // The queries read the component the workbook is opened from, or this one when opened elsewhere.
    serializedData: replace(loadTextContent('../workbooks/clv-pipeline.workbook.json'), '__CLV_APP_INSIGHTS_ID__', appInsightsId)
  }
}

@description('Resource id of the workbook.')
output id string = workbook.id
