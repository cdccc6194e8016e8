metadata description = 'One data-plane role for one principal on one blob container of the CLV storage account, named guid(container, principal, role).'

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the blob container the role is scoped to.')
param containerName string

@description('Object id of the principal that receives the role.')
param principalId string

@description('Stable identifier of the principal, known before deployment, used in the assignment name.')
param principalKey string

@description('Kind of principal.')
@allowed([
  'ServicePrincipal'
  'User'
  'Group'
])
param principalType string

@description('Built-in role definition id (GUID) to grant on the container.')
param roleDefinitionId string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource container 'containers' existing = {
      name: containerName
    }
  }
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::container.id, principalKey, roleDefinitionId)
  scope: storage::blobService::container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    principalType: principalType
  }
}
