import Testing
import ProfileModel
