metadata description = 'The user-assigned managed identity every CLV app runs as: one principal to grant, no secrets to rotate.'

@description('Name of the managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity, for the apps that run as it.')
output id string = identity.id

@description('Client (application) id, for the AzureWebJobsStorage__clientId and AZURE_CLIENT_ID settings.')
output clientId string = identity.properties.clientId

@description('Object id of the service principal, for role assignments.')
output principalId string = identity.properties.principalId
