metadata description = 'Alerts that tell an operator the pipeline needs attention: poison messages, failing functions, training that stopped running, realized accuracy that fell, throttled table writes.'

@description('Prefix of the alert rule names.')
param namePrefix string

@description('Azure region of the log alert rules.')
param location string

@description('Tags applied to every alert rule.')
param tags object

@description('Resource id of an existing action group to notify; empty creates the alerts without notifications (they still show in the portal).')
param actionGroupId string

@description('Resource id of the Log Analytics workspace (storage request logs).')
param workspaceId string

@description('Resource id of the Application Insights component (function requests and the pipeline\'s metrics).')
param appInsightsId string

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the Function App whose requests are watched.')
param functionAppName string

@description('Queues whose poison queues ({name}-poison) must stay empty.')
param watchedQueueNames string[]

@description('Failure rate of function executions, in percent, above which the failure alert fires.')
@minValue(1)
@maxValue(100)
param functionFailurePercent int

@description('Fewest executions in the window before the failure rate is judged.')
@minValue(1)
param functionFailureMinimumExecutions int

@description('Window in which at least one training run must complete; pick one longer than the training schedule\'s period.')
@allowed([
  'PT6H'
  'PT12H'
  'P1D'
  'P2D'
])
param trainingWindow string

@description('Throttled table transactions in 15 minutes above which the throttling alert fires.')
@minValue(0)
param tableThrottlingThreshold int

@description('Realized Gini, in percent (0-100), below which the accuracy alert fires: the champion\'s predictions made one horizon ago, judged on what the customers spent since.')
@minValue(0)
@maxValue(100)
param realizedGiniThresholdPercent int

@description('Resource id of the Event Grid system topic over the storage account (its dead-lettered events raise an alert).')
param eventsTopicId string

var scheduledQueryActions = empty(actionGroupId)
  ? {}
  : {
      actionGroups: [
        actionGroupId
      ]
    }

var metricAlertActions = empty(actionGroupId)
  ? []
  : [
      {
        actionGroupId: actionGroupId
      }
    ]

// The Functions host moves a message that failed maxDequeueCount times to {queue}-poison; the blob
// trigger's own poison queue is webjobs-blobtrigger-poison.
var poisonQueueNames = concat(map(watchedQueueNames, queueName => '${queueName}-poison'), ['webjobs-blobtrigger-poison'])

var poisonQuery = '''
StorageQueueLogs
| where AccountName == '{0}'
| where OperationName == 'PutMessage'
| extend Queue = tostring(split(trim_start('/', ObjectKey), '/')[1])
| where Queue in ({1})
| summarize Messages = count() by Queue
'''

var failureQuery = '''
requests
| where cloud_RoleName =~ '{0}'
| summarize Executions = count(), Failures = countif(success == false)
| where Executions >= {1}
| extend FailurePercent = 100.0 * Failures / Executions
| where FailurePercent > {2}
'''

// clv.model.realized_gini is recorded by a training run that could judge stored predictions whose horizon has passed.
var realizedGiniQuery = '''
customMetrics
| where name == 'clv.model.realized_gini'
| summarize RealizedGiniPercent = 100.0 * sum(valueSum) / sum(valueCount)
'''

var trainingQuery = '''
customMetrics
| where name == 'clv.train.runs'
| where tostring(customDimensions['clv.status']) != 'failed'
| summarize Runs = count()
'''

resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-poison-messages'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'CLV: messages in a poison queue'
    description: 'A scoring shard, a compaction or an export failed every retry and was moved to a poison queue. Inspect the message, fix the cause, and re-queue it.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: format(poisonQuery, storageAccountName, join(map(poisonQueueNames, queueName => '\'${queueName}\''), ', '))
          timeAggregation: 'Total'
          metricMeasureColumn: 'Messages'
          dimensions: [
            {
              name: 'Queue'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: scheduledQueryActions
  }
}

resource failureAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-function-failures'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'CLV: function failure rate'
    description: 'More than ${functionFailurePercent}% of function executions failed in the last 15 minutes.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: format(failureQuery, functionAppName, functionFailureMinimumExecutions, functionFailurePercent)
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: scheduledQueryActions
  }
}

resource trainingAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-training-overdue'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'CLV: training has not run'
    description: 'No training run completed (metric clv.train.runs with clv.status other than failed) within ${trainingWindow}. Predictions are ageing.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT1H'
    windowSize: trainingWindow
    criteria: {
      allOf: [
        {
          query: trainingQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'Runs'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: scheduledQueryActions
  }
}

resource realizedGiniAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-realized-accuracy'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'CLV: realized accuracy fell'
    description: 'The champion\'s predictions, judged on what customers spent over the horizon since (metric clv.model.realized_gini), rank them with a normalised Gini below ${realizedGiniThresholdPercent}%. The model has drifted: check the Runs table\'s RealizedMetricsJson and retrain.'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT1H'
    windowSize: trainingWindow
    criteria: {
      allOf: [
        {
          query: realizedGiniQuery
          timeAggregation: 'Average'
          metricMeasureColumn: 'RealizedGiniPercent'
          operator: 'LessThan'
          threshold: realizedGiniThresholdPercent
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: scheduledQueryActions
  }
}

// Event Grid could not deliver an exports event (BlobCreated to Featurize, BlobDeleted to export-events) and
// dead-lettered it to the eventgrid-deadletter container.
resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-events-dead-lettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Event Grid dead-lettered an event of the exports container: an export was not featurized, or a deleted export was not cleared up. Read the event in the eventgrid-deadletter container and re-run it.'
    severity: 1
    enabled: true
    scopes: [
      eventsTopicId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    targetResourceType: 'Microsoft.EventGrid/systemTopics'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLettered'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    autoMitigate: true
    actions: metricAlertActions
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource tableService 'tableServices' existing = {
    name: 'default'
  }
}

resource tableThrottlingAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-table-throttling'
  location: 'global'
  tags: tags
  properties: {
    description: 'Table storage throttled more than ${tableThrottlingThreshold} transactions in 15 minutes: scoring writes are retrying (see the clv.table.retries metric).'
    severity: 2
    enabled: true
    scopes: [
      storage::tableService.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    targetResourceType: 'Microsoft.Storage/storageAccounts/tableServices'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'ThrottledTransactions'
          metricNamespace: 'Microsoft.Storage/storageAccounts/tableServices'
          metricName: 'Transactions'
          dimensions: [
            {
              name: 'ResponseType'
              operator: 'Include'
              values: [
                'ServerBusyError'
                'ClientThrottlingError'
                'ClientAccountRequestThrottlingError'
                'ClientAccountBandwidthThrottlingError'
              ]
            }
          ]
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: tableThrottlingThreshold
        }
      ]
    }
    autoMitigate: true
    actions: metricAlertActions
  }
}

@description('Resource ids of the alert rules.')
output alertIds string[] = [
  poisonAlert.id
  failureAlert.id
  trainingAlert.id
  realizedGiniAlert.id
  tableThrottlingAlert.id
]
