// Order matters: the bridge defines window.orgAdmin before the app's first module runs.
import './bridge'
import '../src/main'
