metadata description = 'Customer lifetime value scorer: storage for exports, features, models and predictions.'

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Short name used as a prefix for resource names.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'clv'

var token = toLower(uniqueString(subscription().id, resourceGroup().id, namePrefix))

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${namePrefix}${token}', 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

@description('Name of the storage account.')
output storageAccountName string = storage.name
