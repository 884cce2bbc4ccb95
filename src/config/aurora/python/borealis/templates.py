"""The template library, as a config imports it: `from borealis.templates import *`.

Gives make_profile() and artifact() (what `borealis manage` knows about the job), the
helpers (make_cmdline, install_artifact, make_main_template, job_template, the auth proxy
and health-check processes) and the three job patterns. See docs/templates.md.
"""

from borealis_aurora.cmdline import make_cmdline
from borealis_aurora.installers import artifact_kind, artifact_name, install_artifact
from borealis_aurora.job_templates import job_template, make_main_template, resources_template
from borealis_aurora.patterns import (DEFAULT_JVM_OPTS, jvm_options, jvm_worker, library_jobs,
                                      python_api_server, python_worker, taskarg_options)
from borealis_aurora.profile import Profile, artifact, make_profile
from borealis_aurora.sidecars import (auth_proxy_processes, get_authproxy_processes,
                                      get_proxy_hc_processes, health_check_processes)
from borealis_aurora.thermos_schema import Artifact

__all__ = ['Artifact', 'DEFAULT_JVM_OPTS', 'Profile', 'artifact', 'artifact_kind',
           'artifact_name', 'auth_proxy_processes', 'get_authproxy_processes',
           'get_proxy_hc_processes', 'health_check_processes', 'install_artifact',
           'job_template', 'jvm_options', 'jvm_worker', 'library_jobs', 'make_cmdline',
           'make_main_template', 'make_profile', 'python_api_server', 'python_worker',
           'resources_template', 'taskarg_options']
