// The bridge must define window.orgAdmin before any app module runs. A static import of the
// app would be hoisted and evaluated first (the bundle shares the app's chunk), so the app
// is loaded dynamically, after the bridge has run.
import './bridge'

void import('../src/main')
