import Crypto
import TOMLKit
import Logging
