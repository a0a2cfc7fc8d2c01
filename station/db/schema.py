"""The whole schema: importing this module registers every model on Base.metadata.

A new domain area with tables adds its models module here.
"""

from station.access import models as access_models
from station.audit import models as audit_models
from station.db.base import Base
from station.fleet import models as fleet_models
from station.inspection import models as inspection_models
from station.reference import models as reference_models
from station.sampling import models as sampling_models
from station.scorecards import models as scorecard_models
from station.sync import models as sync_models
from station.webhooks import models as webhook_models
from station.workflow import models as workflow_models

MODEL_MODULES = (
    reference_models,
    fleet_models,
    access_models,
    inspection_models,
    audit_models,
    scorecard_models,
    workflow_models,
    sampling_models,
    webhook_models,
    sync_models,
)

metadata = Base.metadata
