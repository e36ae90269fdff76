package session

// FrameworkKey is the key under which a framework adapter keeps the request's
// session in the framework's own key-value store (gin's c.Set), so that From
// finds it through a framework context whose Value does not fall back to the
// request's context: gin's *gin.Context answers Value only for string keys it
// holds unless its engine sets ContextWithFallback. From looks it up only when
// the usual lookup found nothing.
const FrameworkKey = "github.com/sesame-go/sesame/session.Session"
