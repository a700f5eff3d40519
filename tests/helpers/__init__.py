"""What the tests share and nothing tests by itself.

paths          REPO_ROOT, DATA (the public corpora), RESOURCES, RULES
clock          FakeClock (wall time, monotonic seconds), WIB
memory_keyring use_memory_keyring(): the in-memory keyring of the test process, a file keyring for children
station        open_test_station(), station_in(): a station opened as the app opens it, in a given home
passes         PassFactory (passes a station issued), sample credentials of every signed format
processes      child_env(), StationProcess (tests/helpers/station_process.py), serve_process
fault_proxy    FaultProxy: a fault-injecting HTTP proxy between station processes and the server
"""
