metadata description = 'Data-plane roles for one principal on the CLV storage account. Assignment names are guid(account, principal key, role), so re-deploying never duplicates them.'

@description('Name of the storage account the roles are scoped to.')
param storageAccountName string

@description('Object id of the principal that receives the roles.')
param principalId string

@description('Stable identifier of the principal, known before deployment, used in assignment names: the managed identity\'s resource id, or a person\'s or group\'s object id.')
param principalKey string

@description('Kind of principal: the apps\' managed identity is a ServicePrincipal; an operator is a User or Group.')
@allowed([
  'ServicePrincipal'
  'User'
  'Group'
])
param principalType string

@description('Built-in role definition ids (GUIDs) to grant at the storage account scope.')
param roleDefinitionIds string[]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleDefinitionId in roleDefinitionIds: {
    name: guid(storage.id, principalKey, roleDefinitionId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
      principalId: principalId
      principalType: principalType
    }
  }
]
